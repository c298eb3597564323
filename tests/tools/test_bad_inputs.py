# Copyright (c) mmxkd contributors. All rights reserved.
"""Bad inputs stop tools/train.py when the dataset is built, with the
files named, before any training iteration; skip_bad_samples trains on the
rest and writes a report; an error while loading a sample names its
file."""
import json
import os.path as osp
import shutil
import sys

import numpy as np
import pytest

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


@pytest.fixture
def bad_data(synthetic_data, tmp_path):
    """A copy of the synthetic data with a truncated video, a teacher
    feature of the wrong length and an all-zero one; returns the root and
    the three bad files."""
    root = str(tmp_path / 'data')
    shutil.copytree(
        synthetic_data,
        root,
        ignore=shutil.ignore_patterns('audio_logmel', '*.json'))
    with open(f'{root}/train.txt') as f:
        stems = [line.split()[0][:-len('.mp4')] for line in f]
    video = f'{root}/videos/{stems[0]}.mp4'
    with open(video, 'rb') as f:
        data = f.read()
    with open(video, 'wb') as f:
        f.write(data[:len(data) // 2])
    wrong_size = f'{root}/teacher_feats/{stems[1]}.npy'
    np.save(wrong_size, np.ones(256, np.float32))
    zeros = f'{root}/teacher_feats/{stems[2]}.npy'
    np.save(zeros, np.zeros(512, np.float32))
    return root, video, wrong_size, zeros


def train(root, work_dir, *options):
    return run_tool(
        [
            sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir',
            str(work_dir), '--cfg-options', 'train_cfg.max_epochs=1'
        ] + data_options(root) + list(options),
        check=False)


def test_bad_inputs_stop_training_at_dataset_build(bad_data, tmp_path):
    root, video, wrong_size, zeros = bad_data
    proc = train(root, tmp_path / 'run')
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f'bad video {video}: unreadable or corrupt' in log
    assert f'{wrong_size} has length 256, expected 512' in log
    assert f'all-zero teacher feature: {zeros}' in log
    assert 'skip_bad_samples=True' in log
    assert 'Epoch(train)' not in log  # no iteration ran


def test_skip_bad_samples_trains_on_the_rest(bad_data, tmp_path):
    root, video, wrong_size, zeros = bad_data
    proc = train(root, tmp_path / 'run',
                 'train_dataloader.dataset.skip_bad_samples=True')
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    report = osp.join(root, 'train.txt.bad_samples.json')
    assert f'the report is {report}' in log
    with open(report) as f:
        content = json.load(f)
    problems = [p for entry in content['dropped'] for p in entry['problems']]
    assert len(content['dropped']) == 3
    assert any(video in p for p in problems)
    assert any(wrong_size in p for p in problems)
    assert any(zeros in p for p in problems)
    assert 'Epoch(train)' in log
    # the probes are cached beside the annotation file
    assert osp.isfile(osp.join(root, 'train.txt.video_probe.json'))


def test_loading_error_names_the_video(bad_data, tmp_path):
    root, video, _, _ = bad_data
    for path in bad_data[2:]:
        np.save(path, np.random.rand(512).astype(np.float32))
    # without the probe the truncated video reaches a DataLoader worker
    proc = train(root, tmp_path / 'run',
                 'train_dataloader.dataset.probe_videos=False',
                 'train_dataloader.num_workers=1')
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert 'SampleLoadError' in log
    assert f'(filename {video}, teacher_feat_path ' in log
    assert 'DecordInit failed with' in log


@pytest.mark.parametrize('options, message', [
    (['model.teacher.feat_dim=256'],
     "the training set's teacher features have length 512 "
     '(train_dataloader.dataset.teacher_feat_dim, checked against every '
     'file), but teacher "teacher" expects feat_dim=256 '
     '(model.teacher.feat_dim)'),
    (['train_dataloader.batch_size=32', 'train_dataloader.drop_last=True'],
     'an epoch has no training batch: 16 of the 16 training clips on each '
     'of 1 processes, train_dataloader.batch_size=32 and drop_last=True'),
])
def test_config_mismatches_stop_training_before_an_iteration(
        synthetic_data, tmp_path, options, message):
    work_dir = tmp_path / 'run'
    proc = train(synthetic_data, work_dir, *options)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert message in log
    assert 'Epoch(train)' not in log
    assert not list(work_dir.glob('*.pth'))
