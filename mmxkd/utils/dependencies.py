# Copyright (c) mmxkd contributors. All rights reserved.
"""Version checks run by ``import mmxkd``: a wrong stack fails there, with
the command that fixes it, instead of deep inside a training run. The
versions are read from the installed packages' metadata; whether torchvision
matches torch is checked when torchvision is first imported."""
from importlib import metadata
from typing import List, Optional, Tuple

from packaging.version import Version

from mmxkd.compat.import_hooks import when_imported

INSTALL_HINT = 'bash tools/install.sh (see README.md, "Installation")'

# distribution, lowest allowed, first disallowed
REQUIREMENTS: List[Tuple[str, str, Optional[str]]] = [
    ('torch', '2.0.0', None),
    ('torchvision', '0.15.0', None),
    ('mmengine', '0.10.7', '1.0.0'),
    ('mmcv', '2.0.0', '2.2.0'),
    ('mmaction2', '1.2.0', '1.3.0'),
    ('mmpretrain', '1.2.0', '1.3.0'),
    ('decord', '0.6.0', None),
    ('av', '12.0.0', None),
    ('librosa', '0.10.0', None),
]


def _installed_version(dist: str) -> Optional[str]:
    names = ('mmcv', 'mmcv-lite') if dist == 'mmcv' else (dist, )
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def _base(version: str) -> Version:
    return Version(Version(version).base_version)


def check_dependencies() -> None:
    """Raise ``ImportError`` naming every missing or out-of-range package;
    once torchvision is imported, raise it if torchvision does not match
    torch (:func:`check_torchvision_on_import`)."""
    problems = []
    for dist, low, high in REQUIREMENTS:
        found = _installed_version(dist)
        wanted = f'>={low}' + (f',<{high}' if high else '')
        if found is None:
            problems.append(f'{dist}{wanted} is not installed')
        elif _base(found) < Version(low) or (high and
                                             _base(found) >= Version(high)):
            problems.append(f'{dist} {found} is installed, mmxkd needs '
                            f'{dist}{wanted}')
    if problems:
        _refuse(problems)
    check_torchvision_on_import()


def _refuse(problems: List[str]) -> None:
    raise ImportError('mmxkd cannot run with this environment:\n  - ' +
                      '\n  - '.join(problems) +
                      f'\nInstall a matching stack with: {INSTALL_HINT}')


def check_torchvision_on_import() -> None:
    """Once torchvision is imported (now, if it is already), raise
    ``ImportError`` with the fix if it was not built for the installed torch:
    such a build fails to import in many ways, or imports without its
    operators (``operator torchvision::nms does not exist`` later)."""

    def failed(err: BaseException) -> None:
        import torch
        _refuse([f'torchvision fails to import with torch '
                 f'{torch.__version__}: {err}'])

    def imported(_) -> None:
        problem = _torchvision_mismatch()
        if problem:
            _refuse([problem])

    when_imported('torchvision', imported, on_error=failed)


def _torchvision_mismatch() -> Optional[str]:
    """torchvision built for another torch loads, but its C++ operators are
    missing (``operator torchvision::nms does not exist``)."""
    import torch
    try:
        import torchvision  # noqa: F401
    except Exception as err:  # a mismatched build fails in many ways
        return (f'torchvision fails to import with torch {torch.__version__}'
                f': {err}')
    if not hasattr(torch.ops.torchvision, 'nms'):
        return (f'torchvision {torchvision.__version__} was not built for '
                f'torch {torch.__version__} (its operators are missing); '
                'install the pair together from one index')
    return None
