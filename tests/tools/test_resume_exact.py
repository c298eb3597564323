# Copyright (c) mmxkd contributors. All rights reserved.
"""A run SIGKILLed after its second epoch and resumed with tools/train.py
--resume ends with the same weights, to the bit, as an uninterrupted one."""
import os
import os.path as osp
import signal
import subprocess
import sys
import time
from typing import List

import pytest
import torch

from ..conftest import DISTILL_CFG, ROOT, data_options, run_tool

pytestmark = pytest.mark.integration


def _start(args: List[str], log: str) -> subprocess.Popen:
    """Start a tool from the repository root, as ``run_tool`` runs it, its
    output going to ``log``."""
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    env = dict(os.environ, PYTHONUNBUFFERED='1', PATH=path)
    with open(log, 'w') as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _tail(log: str) -> str:
    with open(log) as f:
        return f.read()[-3000:]


def _max_abs_diff(path_a: str, path_b: str) -> float:
    a = torch.load(path_a, weights_only=False)['state_dict']
    b = torch.load(path_b, weights_only=False)['state_dict']
    assert a.keys() == b.keys()
    return max((a[k].double() - b[k].double()).abs().max().item()
               for k in a if a[k].is_floating_point() and a[k].numel())


def test_sigkill_and_resume_gives_the_uninterrupted_weights(
        synthetic_data, tmp_path):
    opts = data_options(synthetic_data) + [
        'train_cfg.max_epochs=3', 'randomness.seed=7',
        'randomness.deterministic=True'
    ]
    uninterrupted, killed = str(tmp_path / 'a'), str(tmp_path / 'b')
    train = [sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir']

    log_a, log_b = str(tmp_path / 'a.log'), str(tmp_path / 'b.log')
    run_a = _start(train + [uninterrupted, '--cfg-options'] + opts, log_a)
    run_b = _start(train + [killed, '--cfg-options'] + opts, log_b)
    # CheckpointHook writes last_checkpoint once epoch_2.pth is complete
    last = osp.join(killed, 'last_checkpoint')
    deadline = time.time() + 600
    while not (osp.exists(last) and open(last).read().strip().endswith(
            'epoch_2.pth')):
        assert run_b.poll() is None, _tail(log_b)
        assert time.time() < deadline, 'no epoch_2.pth in 10 minutes'
        time.sleep(0.1)
    run_b.send_signal(signal.SIGKILL)
    run_b.wait()
    assert not osp.exists(osp.join(killed, 'epoch_3.pth'))
    assert run_a.wait(timeout=600) == 0, _tail(log_a)

    resumed = run_tool(train + [killed, '--resume', '--cfg-options'] + opts)
    log = resumed.stdout + resumed.stderr
    assert 'resumed epoch: 2, iter: 8' in log
    assert 'no random states' not in log
    final = [osp.join(d, 'epoch_3.pth') for d in (uninterrupted, killed)]
    diff = _max_abs_diff(*final)
    print(f'max abs weight difference after resuming: {diff}')
    assert diff == 0.0
