# Copyright (c) mmxkd contributors. All rights reserved.
"""Applying a compatibility patch only where the upstream bug it fixes is.

Each patch names the installed distributions and versions that have the bug
(e.g. ``mmaction2==1.2.0``); it is installed only when every one of them
matches, once per process, and, where it names the module it patches, only
once that module is imported (:mod:`mmxkd.compat.import_hooks`), so that
``import mmxkd`` itself imports neither torch nor MMEngine's runner. Each
batch of patches installed together is logged in one short INFO line; each
patch's own line (what it fixes, the upstream issue, how to turn it off) is
logged at DEBUG, or at INFO with ``MMXKD_COMPAT_VERBOSE=1``.
``MMXKD_NO_COMPAT`` (comma-separated patch names, or ``all``) turns patches
off.
"""
import logging
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import (Callable, Dict, FrozenSet, Iterable, List, Optional,
                    Sequence, Set, Tuple)

from packaging.requirements import Requirement
from packaging.version import Version

from .import_hooks import when_imported

OPT_OUT_ENV = 'MMXKD_NO_COMPAT'
OPT_OUT_ALL = 'all'
VERBOSE_ENV = 'MMXKD_COMPAT_VERBOSE'


def _always() -> bool:
    return True


@dataclass(frozen=True)
class CompatPatch:
    """A fix for one upstream bug.

    Args:
        name (str): Short name, the one ``MMXKD_NO_COMPAT`` takes.
        summary (str): What the patch does, for the log line.
        upstream (str): The upstream issue (a link) or, where there is none,
            the upstream code that has the bug.
        affected (tuple[str]): Requirement strings (PEP 508) that the
            installed distributions must all match for the bug to be there,
            e.g. ``('torch>=2.6',)``. Pre-release, post-release and local
            parts of the installed versions are ignored (``2.6.0rc1+cpu``
            counts as ``2.6.0``).
        install (Callable[[], None]): Installs the fix.
        bug_present (Callable[[], bool]): A further check that the bug is
            there, run when the versions match. Defaults to always true.
        patched_module (str, optional): The module whose import installs the
            patch (at once if it is imported already). None installs it with
            ``import mmxkd``.
    """

    name: str
    summary: str
    upstream: str
    affected: Tuple[str, ...]
    install: Callable[[], None]
    bug_present: Callable[[], bool] = _always
    patched_module: Optional[str] = None


_applied: Set[str] = set()


def print_log(msg: str, level: int = logging.INFO) -> None:
    """Log ``msg`` with MMEngine's current logger, once MMEngine's ``dist``
    is imported: the logger needs it, and it imports torch."""

    def log(_) -> None:
        from mmengine.logging import print_log as mmengine_print_log
        mmengine_print_log(msg, logger='current', level=level)

    when_imported('mmengine.dist', log)


def installed_version(distribution: str) -> Optional[Version]:
    """The installed version of ``distribution``, None if not installed."""
    try:
        return Version(metadata.version(distribution))
    except metadata.PackageNotFoundError:
        return None


def affects_installed(patch: CompatPatch) -> bool:
    """Whether the installed versions have the bug that ``patch`` fixes."""
    for requirement in map(Requirement, patch.affected):
        version = installed_version(requirement.name)
        if version is None or Version(
                version.base_version) not in requirement.specifier:
            return False
    return patch.bug_present()


def opted_out(known: Iterable[str]) -> FrozenSet[str]:
    """The patch names turned off by ``MMXKD_NO_COMPAT``.

    Args:
        known (Iterable[str]): The names of all patches; ``all`` stands for
            them, and other names are reported as unknown and ignored.

    Returns:
        frozenset[str]: The names of the patches not to apply.
    """
    known = frozenset(known)
    names = {
        name.strip()
        for name in os.environ.get(OPT_OUT_ENV, '').split(',') if name.strip()
    }
    if OPT_OUT_ALL in names:
        return known
    unknown = names - known
    if unknown:
        print_log(
            f'{OPT_OUT_ENV}: unknown patch name(s) '
            f'{", ".join(sorted(unknown))} ignored; the patches are '
            f'{", ".join(sorted(known))} (or "{OPT_OUT_ALL}").',
            level=logging.WARNING)
    return frozenset(names & known)


def _main_process() -> bool:
    # Under a launcher every process imports mmxkd: the main one reports.
    return os.environ.get('RANK', '0') == '0'


def verbose() -> bool:
    """Whether ``MMXKD_COMPAT_VERBOSE`` asks for every patch's own log line
    at INFO (set, and neither empty nor ``0``)."""
    return os.environ.get(VERBOSE_ENV, '') not in ('', '0')


def describe(patch: CompatPatch) -> str:
    """The patch's own log line: what it fixes, where, the upstream issue
    and how to turn it off."""
    return (f'mmxkd.compat: applied "{patch.name}" '
            f'({", ".join(patch.affected)}): {patch.summary} Upstream: '
            f'{patch.upstream}. Turn off with {OPT_OUT_ENV}={patch.name}.')


def digest(names: Sequence[str]) -> str:
    """The one INFO line for the patches ``names`` installed."""
    return (f'mmxkd.compat: applied {", ".join(names)} (details: '
            f'{VERBOSE_ENV}=1; off: {OPT_OUT_ENV}=<names>|{OPT_OUT_ALL})')


def apply_patch(patch: CompatPatch, skip: FrozenSet[str]) -> bool:
    """Install ``patch`` if its bug is there and it is not in ``skip``.

    A patch is installed at most once per process; the main process logs
    :func:`describe` then, at DEBUG (at INFO when :func:`verbose`).

    Args:
        patch (CompatPatch): The patch.
        skip (frozenset[str]): Names of the patches turned off
            (:func:`opted_out`).

    Returns:
        bool: Whether the patch is in place.
    """
    if patch.name in _applied:
        return True
    if patch.name in skip or not affects_installed(patch):
        return False
    patch.install()
    _applied.add(patch.name)
    if _main_process():
        print_log(
            describe(patch),
            level=logging.INFO if verbose() else logging.DEBUG)
    return True


def install_now(patches: Sequence[CompatPatch],
                skip: FrozenSet[str]) -> List[str]:
    """Apply ``patches`` now (:func:`apply_patch`); the main process logs one
    INFO line (:func:`digest`) naming those this call installed.

    Returns:
        list[str]: The names of the patches in place.
    """
    before = set(_applied)
    in_place = [patch.name for patch in patches if apply_patch(patch, skip)]
    installed = [name for name in in_place if name not in before]
    if installed and _main_process():
        print_log(digest(installed))
    return in_place


def apply_patches(patches: Sequence[CompatPatch]) -> List[str]:
    """Apply every patch not turned off by ``MMXKD_NO_COMPAT``
    (:func:`opted_out`): those without a ``patched_module`` or whose module
    is imported now, the others right after their module is imported. Each
    batch installed together is logged in one line (:func:`install_now`).

    Args:
        patches (Sequence[CompatPatch]): All the patches.

    Returns:
        list[str]: The names of the patches in place now.
    """
    skip = opted_out(patch.name for patch in patches)
    by_module: Dict[Optional[str], List[CompatPatch]] = {}
    for patch in patches:
        module = patch.patched_module
        if module is not None and module not in sys.modules:
            by_module.setdefault(module, []).append(patch)
        else:
            by_module.setdefault(None, []).append(patch)
    now = by_module.pop(None, [])
    # a second call schedules again; install_now is idempotent
    for module, waiting in by_module.items():
        when_imported(module,
                      lambda _, waiting=waiting: install_now(waiting, skip))
    return install_now(now, skip)
