# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/dist_train.sh with 2 CPU processes (gloo)."""
import os.path as osp
import socket

import pytest
import torch

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_dist_train_two_cpu_processes(synthetic_data, tmp_path):
    work_dir = str(tmp_path / 'run')
    proc = run_tool(
        ['env', f'PORT={_free_port()}', 'bash', 'tools/dist_train.sh',
         DISTILL_CFG, '2', '--work-dir', work_dir, '--cfg-options',
         'train_cfg.max_epochs=1'] +
        data_options(synthetic_data, batch_size=2),
        timeout=600)
    log = proc.stdout + proc.stderr
    assert 'using the gloo backend' in log
    assert 'Distributed training: True' in log
    # 16 clips over 2 ranks with batch 2: 4 iterations per epoch
    assert 'Epoch(train) [1][4/4]' in log
    assert 'loss_csc' in log
    meta = torch.load(
        osp.join(work_dir, 'epoch_1.pth'), weights_only=False)['meta']
    assert meta['iter'] == 4
