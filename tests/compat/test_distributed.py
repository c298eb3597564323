# Copyright (c) mmxkd contributors. All rights reserved.
"""CPU-only DDP: gloo instead of nccl, device_ids=None for CPU modules."""
import os
import socket

import torch
import torch.distributed as dist
from mmengine.dist import init_dist
from mmengine.model import MMDistributedDataParallel

import mmxkd  # noqa: F401


def _free_port() -> str:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return str(s.getsockname()[1])


def test_pytorch_launcher_and_ddp_on_cpu(monkeypatch):
    assert not torch.cuda.is_available()
    for key, value in dict(
            RANK='0', LOCAL_RANK='0', WORLD_SIZE='1',
            MASTER_ADDR='127.0.0.1', MASTER_PORT=_free_port()).items():
        monkeypatch.setenv(key, value)
    init_dist('pytorch', backend='nccl')
    try:
        assert dist.get_backend() == 'gloo'
        model = MMDistributedDataParallel(
            module=torch.nn.Linear(3, 2),
            device_ids=[int(os.environ['LOCAL_RANK'])],
            broadcast_buffers=False)
        assert model.device_ids is None
        model(torch.ones(4, 3)).sum().backward()
        assert model.module.weight.grad is not None
    finally:
        dist.destroy_process_group()
