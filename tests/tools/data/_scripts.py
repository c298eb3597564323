# Copyright (c) mmxkd contributors. All rights reserved.
"""The dataset tools of ``tools/data`` are scripts, not modules of the
package: tests load them by file path."""
import importlib.util
import os.path as osp
import sys
from types import ModuleType

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))


def load_script(path: str) -> ModuleType:
    """The script at ``path`` (relative to the repository root) as a
    module, loaded once.

    It is registered in ``sys.modules`` under its file stem, and its folder
    is put on ``sys.path``, so that its dataclasses resolve and its
    functions reach the worker processes of ``--workers`` however they
    start (a spawned process imports the script by that name).
    """
    name = osp.splitext(osp.basename(path))[0]
    folder = osp.dirname(osp.join(ROOT, path))
    if folder not in sys.path:
        sys.path.append(folder)
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name,
                                                      osp.join(ROOT, path))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return sys.modules[name]
