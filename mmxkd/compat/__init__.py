# Copyright (c) mmxkd contributors. All rights reserved.
"""Compatibility of the OpenMMLab stack with today's torch, applied on import.

Nothing in site-packages is edited: each fix is a registration or a wrapper
installed when ``mmxkd`` is imported (``default_scope='mmxkd'`` or
``custom_imports=dict(imports=['mmxkd'])`` both import it), and only where
the installed versions have the bug it fixes (:mod:`mmxkd.compat.patch`).
One INFO line names the fixes applied; ``MMXKD_COMPAT_VERBOSE=1`` logs each
one's own line (what it fixes, the upstream issue) at INFO too, otherwise at
DEBUG. ``MMXKD_NO_COMPAT=drn,checkpoint,atomic_ckpt,cpu_ddp,test_log`` (any
of them, or ``all``) turns fixes off.
"""
import warnings
from typing import List

from . import checkpoint, checkpoint_writes, distributed, drn, logger_hook
from .checkpoint import (CheckpointRefused, CheckpointUnreadable,
                         load_local_checkpoint)
from .patch import CompatPatch, apply_patches

__all__ = [
    'PATCHES', 'CheckpointRefused', 'CheckpointUnreadable', 'CompatPatch',
    'apply_compat', 'load_local_checkpoint'
]

PATCHES = (drn.PATCH, checkpoint.PATCH, checkpoint_writes.PATCH,
           distributed.PATCH, logger_hook.PATCH)


def apply_compat() -> List[str]:
    """Install every fix the installed versions need (idempotent).

    Returns:
        list[str]: The names of the fixes in place.
    """
    # mmcv-lite has no compiled ops; recognition never uses this one (the
    # drn fix imports mmaction.models, which warns about it).
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
    return apply_patches(PATCHES)
