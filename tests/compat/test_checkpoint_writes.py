# Copyright (c) mmxkd contributors. All rights reserved.
"""Checkpoint writes survive a kill: a checkpoint appears only complete, and
the previous best checkpoint stays until the new one is written."""
import os
import os.path as osp
import signal
import subprocess
import sys
from types import SimpleNamespace
from typing import List

import pytest
import torch

from mmxkd.compat import load_local_checkpoint
from mmxkd.compat.checkpoint_writes import (atomic_save_checkpoint,
                                            keep_best_until_replaced)
from ..conftest import DISTILL_CFG, ROOT, data_options


def _half_then_fail(checkpoint: dict, filename: str) -> None:
    with open(filename, 'wb') as f:
        f.write(b'PK\x03\x04 half a checkpoint')
    raise KeyboardInterrupt


def test_a_failed_write_leaves_the_old_file(tmp_path):
    path = str(tmp_path / 'epoch_1.pth')
    torch.save({'state_dict': {'w': torch.ones(2)}}, path)
    save = atomic_save_checkpoint(_half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        save({}, path)
    assert torch.equal(
        load_local_checkpoint(path)['state_dict']['w'], torch.ones(2))
    assert os.listdir(tmp_path) == ['epoch_1.pth']


def _fake_hook(tmp_path, old: str) -> SimpleNamespace:
    return SimpleNamespace(
        best_ckpt_path=old,
        file_backend=SimpleNamespace(remove=os.remove))


def _runner() -> SimpleNamespace:
    logged: List[str] = []
    return SimpleNamespace(logger=SimpleNamespace(info=logged.append))


def test_the_old_best_is_removed_only_after_the_new_one(tmp_path):
    old, new = str(tmp_path / 'best_1.pth'), str(tmp_path / 'best_2.pth')
    open(old, 'w').close()
    seen = []

    def save_best(hook, runner, metrics):
        assert hook.best_ckpt_path is None  # MMEngine deletes nothing
        seen.append(osp.isfile(old))
        open(new, 'w').close()
        hook.best_ckpt_path = new

    hook = _fake_hook(tmp_path, old)
    keep_best_until_replaced(save_best)(hook, _runner(), {})
    assert seen == [True]
    assert hook.best_ckpt_path == new
    assert os.listdir(tmp_path) == ['best_2.pth']


@pytest.mark.parametrize('improved', [False, True])
def test_no_new_best_or_a_failed_one_keeps_the_old(tmp_path, improved):
    old = str(tmp_path / 'best_1.pth')
    open(old, 'w').close()

    def save_best(hook, runner, metrics):
        if improved:
            raise KeyboardInterrupt  # killed while writing the new best

    hook = _fake_hook(tmp_path, old)
    if improved:
        with pytest.raises(KeyboardInterrupt):
            keep_best_until_replaced(save_best)(hook, _runner(), {})
    else:
        keep_best_until_replaced(save_best)(hook, _runner(), {})
    assert hook.best_ckpt_path == old and osp.isfile(old)


@pytest.mark.integration
@pytest.mark.parametrize('opt_out', ['', 'atomic_ckpt'])
def test_a_kill_while_the_best_is_written(synthetic_data, tmp_path, opt_out):
    """tools/train.py killed halfway through writing epoch 2's best
    checkpoint: epoch 1's best and the latest checkpoint still load (and
    without the fix, the best is lost)."""
    work_dir, config = str(tmp_path / 'run'), str(tmp_path / 'kill.py')
    with open(config, 'w') as f:
        f.write(f"_base_ = [{DISTILL_CFG!r}]\n"
                "custom_imports = dict(imports=['mmxkd', "
                "'tests.compat.kill_on_best'], allow_failed_imports=False)\n")
    env = dict(
        os.environ,
        PYTHONPATH=ROOT,
        MMXKD_TEST_KILL_EPOCH='2',
        MMXKD_NO_COMPAT=opt_out)
    proc = subprocess.run([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        '--cfg-options', *data_options(synthetic_data),
        'train_cfg.max_epochs=3'
    ],
                          cwd=ROOT,
                          env=env,
                          capture_output=True,
                          text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stdout[-3000:]
    names = sorted(os.listdir(work_dir))
    bests = [n for n in names if n.startswith('best_') and '.tmp-' not in n]
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        latest = f.read().strip()
    assert load_local_checkpoint(latest)['meta']['epoch'] == 2
    if opt_out:
        # MMEngine deleted epoch 1's best and left half of epoch 2's
        assert bests == ['best_acc_top1_epoch_2.pth']
        with pytest.raises(Exception):
            load_local_checkpoint(osp.join(work_dir, bests[0]))
        return
    assert bests == ['best_acc_top1_epoch_1.pth'], names
    best = load_local_checkpoint(osp.join(work_dir, bests[0]))
    assert best['meta']['epoch'] == 1
    partial = [n for n in names if '.tmp-' in n]
    assert [n.split('.tmp-')[0] for n in partial] == [
        'best_acc_top1_epoch_2.pth'
    ]
