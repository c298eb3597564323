# Copyright (c) mmxkd contributors. All rights reserved.
"""Make ``import mmaction.models`` work with MMAction2 1.2.0 from PyPI.

The 1.2.0 wheel ships ``mmaction/models/localizers/__init__.py`` with
``from .drn.drn import DRN`` but not the ``drn`` package itself
(open-mmlab/mmaction2#2714), so every import of ``mmaction.models`` fails.
When (and only when) the installed 1.2.0 lacks the package, real module
objects for ``mmaction.models.localizers.drn`` and its ``drn`` submodule are
put in ``sys.modules`` by ``import mmxkd``, which imports nothing of
MMAction2 for it; their ``DRN`` is not registered and refuses to be built
with an explanation. The import system finds them there whenever
``mmaction.models`` is imported, whatever other code does to
``sys.meta_path``. Once ``mmaction.models.localizers`` is imported, the
package becomes its ``drn`` attribute, as a real import would make it
(``from mmaction.models.localizers import drn`` works in any case).
"""
import importlib.machinery
import importlib.util
import os.path as osp
import sys
from types import ModuleType

from .import_hooks import when_imported

_PARENT = 'mmaction.models.localizers'
_PACKAGE = _PARENT + '.drn'
_MODULE = _PACKAGE + '.drn'
ISSUE = 'https://github.com/open-mmlab/mmaction2/issues/2714'


class _MissingDRN:
    """Stand-in for the DRN localizer the PyPI wheel does not contain."""

    def __init__(self, *args, **kwargs) -> None:
        raise ImportError(
            'DRN is not part of the mmaction2 1.2.0 wheel on PyPI '
            '(open-mmlab/mmaction2#2714); install mmaction2 from source '
            '(pip install git+https://github.com/open-mmlab/mmaction2) to '
            'use the DRN localizer.')


def drn_missing() -> bool:
    """Whether the installed ``mmaction`` package has no ``drn`` localizer.

    Only the package's location is looked up; nothing of it is imported.
    """
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return False
    return not any(
        osp.isfile(osp.join(location, 'models', 'localizers', 'drn',
                            '__init__.py'))
        for location in spec.submodule_search_locations)


def _new_module(name: str, is_package: bool) -> ModuleType:
    module = ModuleType(name, f'Stand-in for {name}, missing from the '
                        f'mmaction2 1.2.0 wheel ({ISSUE}); see mmxkd.compat.')
    module.__spec__ = importlib.machinery.ModuleSpec(
        name, None, is_package=is_package)
    if is_package:
        module.__path__ = []
    return module


def provide_drn_module() -> None:
    """Put the stand-in ``drn`` modules in ``sys.modules``; they become
    attributes of their parent packages once those are imported."""
    package = _new_module(_PACKAGE, is_package=True)
    module = _new_module(_MODULE, is_package=False)
    module.DRN = _MissingDRN
    package.drn = module
    sys.modules[_PACKAGE] = package
    sys.modules[_MODULE] = module
    when_imported(_PARENT, lambda parent: setattr(parent, 'drn', package))
