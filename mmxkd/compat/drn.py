# Copyright (c) mmxkd contributors. All rights reserved.
"""Make ``import mmaction.models`` work with MMAction2 1.2.0 from PyPI.

The 1.2.0 wheel ships ``mmaction/models/localizers/__init__.py`` with
``from .drn.drn import DRN`` but not the ``drn`` package itself
(open-mmlab/mmaction2#2714), so every import of ``mmaction.models`` fails.
When (and only when) the real module is missing, a meta-path finder provides
``mmaction.models.localizers.drn.drn`` whose ``DRN`` is not registered and
refuses to be built with an explanation; every other MMAction2 model works.
"""
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType
from typing import Optional, Sequence

_PACKAGE = 'mmaction.models.localizers.drn'
_MODULE = _PACKAGE + '.drn'


class _MissingDRN:
    """Stand-in for the DRN localizer the PyPI wheel does not contain."""

    def __init__(self, *args, **kwargs) -> None:
        raise ImportError(
            'DRN is not part of the mmaction2 1.2.0 wheel on PyPI '
            '(open-mmlab/mmaction2#2714); install mmaction2 from source '
            '(pip install git+https://github.com/open-mmlab/mmaction2) to '
            'use the DRN localizer.')


class _DRNFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``mmaction.models.localizers.drn[.drn]`` when it is missing."""

    def find_spec(self,
                  fullname: str,
                  path: Optional[Sequence[str]],
                  target: Optional[ModuleType] = None):
        # Appended last to ``sys.meta_path``: reached only when no other
        # finder (e.g. a source install that has DRN) found the module.
        if fullname not in (_PACKAGE, _MODULE):
            return None
        return importlib.machinery.ModuleSpec(
            fullname, self, is_package=fullname == _PACKAGE)

    def create_module(self, spec):
        return None

    def exec_module(self, module: ModuleType) -> None:
        if module.__name__ == _PACKAGE:
            module.__path__ = []
        else:
            module.DRN = _MissingDRN


def install_drn_finder() -> None:
    """Register the finder once (idempotent)."""
    if not any(isinstance(f, _DRNFinder) for f in sys.meta_path):
        sys.meta_path.append(_DRNFinder())
