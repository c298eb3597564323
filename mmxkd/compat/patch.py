# Copyright (c) mmxkd contributors. All rights reserved.
"""Applying a compatibility patch only where the upstream bug it fixes is.

Each patch names the installed distributions and versions that have the bug
(e.g. ``mmaction2==1.2.0``); it is installed only when every one of them
matches, once per process. :func:`apply_patches` logs one short INFO line
naming the patches it installed; each patch's own line (what it fixes, the
upstream issue, how to turn it off) is logged at DEBUG, or at INFO with
``MMXKD_COMPAT_VERBOSE=1``. ``MMXKD_NO_COMPAT`` (comma-separated patch
names, or ``all``) turns patches off.
"""
import logging
import os
from dataclasses import dataclass
from importlib import metadata
from typing import (Callable, FrozenSet, Iterable, List, Optional, Sequence,
                    Set, Tuple)

from mmengine.logging import print_log
from packaging.requirements import Requirement
from packaging.version import Version

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
    """

    name: str
    summary: str
    upstream: str
    affected: Tuple[str, ...]
    install: Callable[[], None]
    bug_present: Callable[[], bool] = _always


_applied: Set[str] = set()


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
            logger='current',
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
            logger='current',
            level=logging.INFO if verbose() else logging.DEBUG)
    return True


def apply_patches(patches: Sequence[CompatPatch]) -> List[str]:
    """Apply every patch not turned off by ``MMXKD_NO_COMPAT``
    (:func:`opted_out`, :func:`apply_patch`); the main process logs one
    INFO line (:func:`digest`) naming those installed by this call.

    Args:
        patches (Sequence[CompatPatch]): All the patches.

    Returns:
        list[str]: The names of the patches in place.
    """
    skip = opted_out(patch.name for patch in patches)
    before = set(_applied)
    in_place = [patch.name for patch in patches if apply_patch(patch, skip)]
    installed = [name for name in in_place if name not in before]
    if installed and _main_process():
        print_log(digest(installed), logger='current')
    return in_place
