# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd: robust cross-modal knowledge distillation for videos."""
from .utils.dependencies import check_dependencies
from .version import __version__

check_dependencies()

from .compat import apply_compat  # noqa: E402

apply_compat()

from .utils.setup_env import register_all_modules  # noqa: E402

__all__ = ['__version__', 'register_all_modules']
