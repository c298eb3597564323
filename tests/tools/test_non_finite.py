# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/train.py stops at the first non-finite loss term, naming it, the
iteration and the batch's files, and keeps the checkpoints from before."""
import hashlib
import os.path as osp
import re
import shutil
import sys

import pytest

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


def _md5(path: str) -> str:
    with open(path, 'rb') as f:
        return hashlib.md5(f.read()).hexdigest()


def test_inf_loss_stops_training_and_keeps_the_last_checkpoint(
        synthetic_data, trained_distiller, tmp_path):
    # a copy of the one-epoch run of DISTILL_CFG on these data
    work_dir = tmp_path / 'run'
    shutil.copytree(trained_distiller, work_dir)
    opts = data_options(synthetic_data)
    before = {p.name: _md5(str(p)) for p in work_dir.glob('*.pth')}
    assert 'epoch_1.pth' in before

    # the second epoch's first step (iteration 5: 16 clips, batch 4) has an
    # infinite triplet term
    proc = run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir',
        str(work_dir), '--resume', '--cfg-options', 'train_cfg.max_epochs=2',
        'model.heads.mnf_csc.loss_tri.loss_weight=inf'
    ] + opts, check=False)
    assert proc.returncode != 0
    found = re.search(
        r'NonFiniteLossError: non-finite loss at iteration 5 \(epoch 2\): '
        r'loss_tri=(nan|inf); batch files: (.*?)\. Training stopped',
        proc.stderr)
    assert found, proc.stderr[-3000:]
    files = found.group(2).split(', ')
    videos = osp.join(synthetic_data, 'videos', 'train')
    assert len(files) == 4
    assert all(osp.dirname(f) == videos and f.endswith('.mp4')
               for f in files), files
    assert 'Epoch(train) [2]' not in proc.stdout + proc.stderr
    after = {p.name: _md5(str(p)) for p in work_dir.glob('*.pth')}
    assert after == before  # nothing saved after the bad step
