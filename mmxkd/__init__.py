# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd: robust cross-modal knowledge distillation for videos.

Importing it checks the installed versions and arranges the compatibility
fixes (:mod:`mmxkd.compat`); neither imports torch or MMEngine's runner.
"""
from typing import Any

from .utils.dependencies import check_dependencies
from .version import __version__

check_dependencies()

from .compat import apply_compat  # noqa: E402

apply_compat()

__all__ = ['__version__', 'register_all_modules']


def __getattr__(name: str) -> Any:
    if name == 'register_all_modules':
        from .utils.setup_env import register_all_modules
        return register_all_modules
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
