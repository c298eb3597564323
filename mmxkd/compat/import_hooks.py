# Copyright (c) mmxkd contributors. All rights reserved.
"""Running a function right after a module is imported.

``import mmxkd`` must not import torch, MMEngine's runner or MMAction2's
models just to patch them: data tools and orchestrators would pay for it in
every process. :func:`when_imported` runs a callback at once when the module
is already imported, otherwise right after its code has run, before the
importer sees it. A finder at the front of ``sys.meta_path`` looks up the
module's spec with the other finders, and wraps only that loader's
``exec_module``; the module object, its spec and its loader stay upstream's.
"""
import importlib.abc
import importlib.util
import sys
import threading
from types import ModuleType
from typing import Callable, Dict, List, Optional, Sequence, Set

Callback = Callable[[ModuleType], None]
ErrorHandler = Callable[[BaseException], None]

_callbacks: Dict[str, List[Callback]] = {}
_error_handlers: Dict[str, List[ErrorHandler]] = {}
_lock = threading.RLock()
_looking_up: Set[str] = set()


def when_imported(name: str,
                  callback: Callback,
                  on_error: Optional[ErrorHandler] = None) -> None:
    """Call ``callback(module)`` once module ``name`` is imported.

    Args:
        name (str): The module's full name, e.g. ``'mmengine.runner'``.
        callback (Callable[[ModuleType], None]): Runs once: now if the module
            is in ``sys.modules``, else right after its code has run. What
            it raises is raised by that import.
        on_error (Callable[[BaseException], None], optional): Runs when the
            module's own code raises, with that error; it may raise a clearer
            one (chained to the first), otherwise the first is raised.
    """
    module = sys.modules.get(name)
    if module is not None:
        callback(module)
        return
    with _lock:
        _callbacks.setdefault(name, []).append(callback)
        if on_error is not None:
            _error_handlers.setdefault(name, []).append(on_error)
        if not any(isinstance(f, _PostImportFinder) for f in sys.meta_path):
            sys.meta_path.insert(0, _PostImportFinder())


def pending() -> List[str]:
    """The modules whose callbacks have not run yet."""
    with _lock:
        return sorted(_callbacks)


def _take(name: str) -> Sequence[Callback]:
    with _lock:
        _error_handlers.pop(name, None)
        return _callbacks.pop(name, [])


class _PostImportFinder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: hands a watched module's spec back with a loader
    whose ``exec_module`` runs the callbacks afterwards."""

    def find_spec(self, fullname: str, path, target=None):
        with _lock:
            if fullname not in _callbacks or fullname in _looking_up:
                return None
            _looking_up.add(fullname)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            with _lock:
                _looking_up.discard(fullname)
        if spec is None or spec.loader is None or not hasattr(
                spec.loader, 'exec_module'):
            return None
        _run_callbacks_after(spec.loader, fullname)
        return spec


def _run_callbacks_after(loader, name: str) -> None:
    exec_module = loader.exec_module

    def exec_then_call_back(module: ModuleType) -> None:
        try:
            exec_module(module)
        except BaseException as err:
            with _lock:
                handlers = _error_handlers.get(name, [])
            for handler in handlers:
                handler(err)
            raise
        # the import system binds a submodule to its package only after
        # exec_module returns; the callbacks may reach it through the package
        parent, _, child = name.rpartition('.')
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)
        for callback in _take(name):
            callback(module)

    # on this loader instance only: one spec, one module
    loader.exec_module = exec_then_call_back
