# Copyright (c) mmxkd contributors. All rights reserved.
"""CPU-only distributed training (gloo) with MMEngine 0.10.7.

MMEngine's PyTorch launcher calls ``torch.cuda.set_device`` unconditionally
and the runner wraps the model in DDP with ``device_ids=[LOCAL_RANK]``, so a
machine without a GPU cannot train with ``--launcher pytorch``. Without CUDA
the launcher here initialises a gloo process group instead, and DDP receives
``device_ids=None`` for a model that lives on the CPU, as torch requires.
Applied with MMEngine 0.10.x, whose ``mmengine/dist/utils.py`` and
``Runner.wrap_model`` behave so; with CUDA both keep MMEngine's behaviour.
"""
import functools
import os

import torch
import torch.distributed as torch_dist
from mmengine.dist import utils as dist_utils
from mmengine.logging import print_log
from mmengine.model import MMDistributedDataParallel


def _init_dist_pytorch(backend: str = 'nccl', init_backend: str = 'torch',
                       **kwargs) -> None:
    """MMEngine's PyTorch launcher with CUDA, a gloo process group without."""
    if torch.cuda.is_available():
        _cuda_init_dist_pytorch(backend, init_backend=init_backend, **kwargs)
        return
    if backend != 'gloo':
        print_log(
            f'No CUDA device: using the gloo backend instead of "{backend}" '
            '(env_cfg.dist_cfg.backend).',
            logger='current')
    torch_dist.init_process_group(
        backend='gloo',
        rank=int(os.environ['RANK']),
        world_size=int(os.environ['WORLD_SIZE']),
        **kwargs)


_cuda_init_dist_pytorch = dist_utils._init_dist_pytorch
_ddp_init = MMDistributedDataParallel.__init__


@functools.wraps(_ddp_init)
def _ddp_init_cpu_aware(self, module: torch.nn.Module, *args,
                        **kwargs) -> None:
    on_cpu = all(p.device.type == 'cpu' for p in module.parameters())
    if on_cpu:
        kwargs['device_ids'] = None
    _ddp_init(self, module, *args, **kwargs)


def enable_cpu_distributed() -> None:
    """Patch MMEngine's PyTorch launcher and DDP wrapper (idempotent)."""
    dist_utils._init_dist_pytorch = _init_dist_pytorch
    MMDistributedDataParallel.__init__ = _ddp_init_cpu_aware
