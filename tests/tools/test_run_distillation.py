# Copyright (c) mmxkd contributors. All rights reserved.
"""The main job end to end on generated clips: audio teacher -> teacher
features -> student alone, MNF + CSC and its scrambled-teacher control ->
table, gains, curves PNG and MNF picture."""
import glob
import json
import os
import os.path as osp
import pickle
import sys

import pytest

from ..conftest import run_tool

pytestmark = pytest.mark.integration

CLASSES = ['right_low', 'left_mid', 'down_high', 'up_top']


@pytest.fixture(scope='module')
def scene_data(tmp_path_factory) -> str:
    """16 training and 8 validation scene clips (``--design scenes``)."""
    root = str(tmp_path_factory.mktemp('synthetic_av_scenes'))
    run_tool([
        sys.executable, 'tools/data/synthetic/generate_synthetic_av.py', root,
        '--design', 'scenes', '--num-train', '16', '--num-val', '8'
    ])
    return root


def job(data_root: str, work_dir: str, *more: str) -> list:
    """The command of a one-epoch main job."""
    return [
        sys.executable, 'tools/run_distillation.py', '--data-root',
        data_root, '--work-dir', work_dir, '--epochs', '1',
        '--teacher-epochs', '1', *more
    ]


def check_results(work_dir: str, rows: int) -> None:
    """results.json has ``rows`` models of one seed each."""
    with open(osp.join(work_dir, 'results.json')) as f:
        results = json.load(f)
    assert results['classes'] == CLASSES
    assert len(results['results']) == rows
    for runs in results['results'].values():
        assert len(runs) == 1 and 0 <= runs[0]['top1'] <= 1
        assert len(runs[0]['per_class']) == 4


def test_main_job_runs_and_resumes(scene_data, tmp_path):
    work_dir = str(tmp_path / 'job')
    cmd = job(scene_data, work_dir)
    proc = run_tool(cmd, timeout=900)
    out = proc.stdout
    for step in ('[seed 3] audio teacher', '[seed 3] teacher features',
                 '[seed 3] student alone', '[seed 3] MNF + CSC',
                 '[seed 3] MNF + CSC (scrambled teacher)',
                 '[seed 3] MNF picture'):
        assert step in out
    for row in ('| audio teacher |', '| student alone |', '| MNF + CSC |',
                '| MNF + CSC (scrambled teacher) |'):
        assert row in out
    assert '| top-1 gain vs student alone | top-1 gain vs scrambled |' in out
    assert 'Gains (one seed: figures, no verdict' in out
    assert 'mean +- std' not in out.split('Gains (')[1]
    assert osp.getsize(osp.join(work_dir, 'val_curves.png')) > 1000
    assert os.listdir(osp.join(work_dir, 'mnf')) == ['clip_00000.png']
    check_results(work_dir, 4)
    feats = osp.join(work_dir, 'seed3', 'teacher', 'features', 'train',
                     'clip_00000.npy')
    assert osp.isfile(feats)
    for run_dir in ('distill', 'distill-scrambled'):
        with open(osp.join(work_dir, 'seed3', run_dir, 'metrics.json')) as f:
            record = json.load(f)
        assert record['seed'] == 3 and record['checkpoint'] == 'epoch_1.pth'
        assert 0 <= record['metrics']['acc/top1'] <= 1
    # the recommended MNF + CSC: 25 % labelled, the trained teacher's
    # classifier; its control swaps every clip's sound
    # the terminal has one line per step; the tools' output is in the logs
    assert 'Epoch(train)' not in out + proc.stderr
    assert osp.isfile(osp.join(work_dir, 'steps.log'))
    logs = {d: open(osp.join(work_dir, 'seed3', d, 'run.log')).read()
            for d in ('distill', 'distill-scrambled')}
    assert 'labelled_ratio=0.25' in logs['distill']
    assert 'model.teacher.classifier.checkpoint=' + osp.join(
        work_dir, 'seed3', 'teacher', 'epoch_1.pth') in logs['distill']
    assert 'swap_sound_ratio=1.0' in logs['distill-scrambled']
    assert 'Epoch(train)' in logs['distill']

    # a code-executing pickle where older versions kept the predictions
    marker = str(tmp_path / 'payload-ran')
    for run_dir in glob.glob(osp.join(work_dir, 'seed3', '*', '')):
        with open(osp.join(run_dir, 'test_predictions.pkl'), 'wb') as f:
            pickle.dump(_Payload(marker), f)
    again = run_tool(cmd, timeout=600)
    assert again.stdout.count('done before:') == 4
    assert 'tools/train.py' not in again.stdout
    assert not osp.exists(marker)


class _Payload:
    """Unpickling this creates the file ``marker``."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, 'w'))


def test_full_frame_dataset_without_control(synthetic_data, tmp_path):
    work_dir = str(tmp_path / 'job')
    proc = run_tool(job(synthetic_data, work_dir, '--dataset', 'synthetic',
                        '--no-control'), timeout=900)
    assert '| MNF + CSC |' in proc.stdout
    assert 'scrambled' not in proc.stdout
    assert '| top-1 gain vs student alone |\n' in proc.stdout
    check_results(work_dir, 3)


def test_bad_epochs():
    proc = run_tool([sys.executable, 'tools/run_distillation.py',
                     '--epochs', '0'], check=False)
    assert proc.returncode == 2 and '--epochs must be >= 1' in proc.stderr
