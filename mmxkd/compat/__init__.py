# Copyright (c) mmxkd contributors. All rights reserved.
"""Compatibility of the OpenMMLab stack with today's torch.

Nothing in site-packages is edited: each fix is a registration or a wrapper,
installed only where the installed versions have the bug it fixes
(:mod:`mmxkd.compat.patch`), and only once the module it patches is imported
(``import mmxkd`` itself imports neither torch nor MMEngine's runner).
``default_scope='mmxkd'`` or ``custom_imports=dict(imports=['mmxkd'])``
both import mmxkd. One INFO line names the fixes installed together;
``MMXKD_COMPAT_VERBOSE=1`` logs each one's own line (what it fixes, the
upstream issue) at INFO too, otherwise at DEBUG.
``MMXKD_NO_COMPAT=drn,checkpoint,atomic_ckpt,cpu_ddp,test_log`` (any of
them, or ``all``) turns fixes off.
"""
import importlib
import warnings
from typing import Any, Callable, List

from . import drn
from .patch import CompatPatch, apply_patches

__all__ = [
    'PATCHES', 'CheckpointRefused', 'CheckpointUnreadable', 'CompatPatch',
    'apply_compat', 'load_local_checkpoint'
]


def _install(module: str, function: str) -> Callable[[], None]:
    """Calls ``mmxkd.compat.<module>.<function>``, importing the module (and
    what it patches) only then."""

    def install() -> None:
        getattr(importlib.import_module(f'{__name__}.{module}'), function)()

    return install


PATCHES = (
    CompatPatch(
        name='drn',
        summary='the missing mmaction.models.localizers.drn module is '
        'provided (DRN itself stays unavailable), so that mmaction.models '
        'imports.',
        upstream=drn.ISSUE,
        affected=('mmaction2==1.2.0', ),
        install=drn.provide_drn_module,
        bug_present=drn.drn_missing),
    CompatPatch(
        name='checkpoint',
        summary='local checkpoints load weights-only, with an allowlist of '
        'the training state MMEngine saves (never unpickled).',
        upstream='https://github.com/open-mmlab/mmengine/issues/1655 '
        '(MMEngine calls torch.load without weights_only, which torch 2.6 '
        'made default to True: https://github.com/pytorch/pytorch/pull/'
        '137602)',
        affected=('torch>=2.6', ),
        install=_install('checkpoint', 'register_checkpoint_loader'),
        patched_module='mmengine.runner'),
    CompatPatch(
        name='atomic_ckpt',
        summary='checkpoints and last_checkpoint are written atomically; the '
        'previous best checkpoint is removed only after the new one is '
        'complete.',
        upstream='mmengine/hooks/checkpoint_hook.py (_save_best_checkpoint '
        'removes the previous best before saving) and mmengine/runner/'
        'checkpoint.py (save_checkpoint writes in place)',
        affected=('mmengine<=0.10.7', ),
        install=_install('checkpoint_writes', 'install_atomic_checkpoints'),
        patched_module='mmengine.runner'),
    CompatPatch(
        name='cpu_ddp',
        summary='without CUDA, --launcher pytorch starts a gloo process group '
        'and DDP wraps CPU models with device_ids=None.',
        upstream='MMEngine 0.10.x _init_dist_pytorch '
        '(https://github.com/open-mmlab/mmengine/blob/v0.10.7/mmengine/dist/'
        'utils.py) calls torch.cuda.set_device(LOCAL_RANK) on a machine '
        'without accelerators, and Runner.wrap_model gives DDP '
        'device_ids=[LOCAL_RANK], which torch rejects for CPU modules (no '
        'upstream issue)',
        affected=('mmengine>=0.10.0,<0.11', ),
        install=_install('distributed', 'enable_cpu_distributed'),
        patched_module='mmengine.runner'),
    CompatPatch(
        name='test_log',
        summary='only the main process logs the test metrics and writes '
        'their JSON file.',
        upstream='MMEngine 0.10.x LoggerHook.after_test_epoch '
        '(https://github.com/open-mmlab/mmengine/blob/v0.10.7/mmengine/hooks/'
        'logger_hook.py) dumps {log_dir}/{timestamp}.json on every rank, to '
        'the same path (no upstream issue)',
        affected=('mmengine>=0.10.0,<0.11', ),
        install=_install('logger_hook', 'write_test_log_once'),
        patched_module='mmengine.runner'),
)

# importing these needs torch and MMEngine's runner
_SUBMODULES = ('checkpoint', 'checkpoint_writes', 'distributed',
               'logger_hook')
_FROM_CHECKPOINT = ('CheckpointRefused', 'CheckpointUnreadable',
                    'load_local_checkpoint')


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f'{__name__}.{name}')
    if name in _FROM_CHECKPOINT:
        return getattr(importlib.import_module(f'{__name__}.checkpoint'), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def apply_compat() -> List[str]:
    """Install every fix the installed versions need, now or once the module
    it patches is imported (idempotent).

    Returns:
        list[str]: The names of the fixes in place now.
    """
    # mmcv-lite has no compiled ops; recognition never uses this one.
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
    return apply_patches(PATCHES)
