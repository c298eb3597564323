# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/train.py -> val -> checkpoint -> --resume -> tools/test.py."""
import hashlib
import os.path as osp
import re
import sys

import pytest
import torch

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


def _md5(path: str) -> str:
    with open(path, 'rb') as f:
        return hashlib.md5(f.read()).hexdigest()


def test_train_val_resume_test(synthetic_data, tmp_path):
    work_dir = str(tmp_path / 'run')
    opts = data_options(synthetic_data)
    first = run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir', work_dir,
        '--cfg-options', 'train_cfg.max_epochs=2'
    ] + opts)
    log = first.stdout + first.stderr
    for key in ('loss_cls_v', 'loss_cls_n', 'loss_gate', 'loss_tri',
                'loss_csc'):
        assert re.search(key + r': \d+\.\d+', log), key
    assert 'Epoch(val) [2]' in log and 'acc/top1' in log
    epoch2 = osp.join(work_dir, 'epoch_2.pth')
    meta = torch.load(epoch2, weights_only=False)['meta']
    assert meta['epoch'] == 2
    iters_per_epoch = meta['iter'] // 2
    assert iters_per_epoch == 4  # 16 clips, batch 4
    digest = _md5(epoch2)

    resumed = run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir', work_dir,
        '--resume', '--cfg-options', 'train_cfg.max_epochs=3'
    ] + opts)
    log = resumed.stdout + resumed.stderr
    assert f'resumed epoch: 2, iter: {2 * iters_per_epoch}' in log
    assert 'Epoch(train) [1]' not in log and 'Epoch(train) [3]' in log
    meta = torch.load(
        osp.join(work_dir, 'epoch_3.pth'), weights_only=False)['meta']
    assert (meta['epoch'], meta['iter']) == (3, 3 * iters_per_epoch)
    assert _md5(epoch2) == digest  # resuming left the old checkpoint intact

    tested = run_tool([
        sys.executable, 'tools/test.py', DISTILL_CFG,
        osp.join(work_dir, 'epoch_3.pth'), '--work-dir',
        str(tmp_path / 'test'), '--cfg-options'
    ] + opts)
    assert re.search(r'Epoch\(test\) \[\d+/\d+\].*acc/top1: \d\.\d{4}',
                     tested.stdout + tested.stderr)


def test_missing_teacher_feature_fails_at_dataset_build(
        synthetic_data, tmp_path):
    data = tmp_path / 'data'
    feats = data / 'teacher_feats'
    (feats / 'train').mkdir(parents=True)
    lines = open(osp.join(synthetic_data, 'train.txt')).read().split('\n')
    kept = [line for line in lines if line][:4]
    (data / 'train.txt').write_text('\n'.join(kept) + '\n')
    for line in kept[:3]:  # the 4th clip has no feature
        name = line.split()[0][:-len('.mp4')] + '.npy'
        (feats / name).write_bytes(
            open(osp.join(synthetic_data, 'teacher_feats', name), 'rb').read())
    opts = data_options(synthetic_data) + [
        f'train_dataloader.dataset.ann_file={data}/train.txt',
        f'train_dataloader.dataset.data_prefix.teacher={feats}'
    ]
    work_dir = tmp_path / 'run'
    proc = run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir',
        str(work_dir), '--cfg-options'
    ] + opts, check=False)
    assert proc.returncode != 0
    missing = kept[3].split()[0][:-len('.mp4')] + '.npy'
    assert f'missing teacher feature: {feats / missing}' in proc.stderr
    assert not list(work_dir.glob('*.pth'))


def test_amp_without_cuda_fails_before_training(tmp_path):
    work_dir = tmp_path / 'run'
    proc = run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--amp', '--work-dir',
        str(work_dir)
    ], check=False)
    assert proc.returncode != 0
    assert '--amp needs a CUDA device' in proc.stderr
    assert not work_dir.exists()
