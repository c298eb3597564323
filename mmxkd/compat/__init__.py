# Copyright (c) mmxkd contributors. All rights reserved.
"""Compatibility of the OpenMMLab stack with today's torch, applied on import.

Nothing in site-packages is edited: each fix is a registration or a wrapper
installed when ``mmxkd`` is imported (``default_scope='mmxkd'`` or
``custom_imports=dict(imports=['mmxkd'])`` both import it).
"""
import warnings

from .checkpoint import (is_own_run_checkpoint, load_local_checkpoint,
                         register_checkpoint_loader)
from .distributed import enable_cpu_distributed
from .drn import install_drn_finder
from .logger_hook import write_test_log_once

__all__ = [
    'apply_compat', 'is_own_run_checkpoint', 'load_local_checkpoint',
]


def apply_compat() -> None:
    """Install every fix (idempotent)."""
    install_drn_finder()
    register_checkpoint_loader()
    enable_cpu_distributed()
    write_test_log_once()
    # mmcv-lite has no compiled ops; recognition never uses this one.
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
