# Copyright (c) mmxkd contributors. All rights reserved.
"""The main job end to end on generated clips: audio teacher -> teacher
features -> student alone and MNF + CSC -> table and PNG."""
import json
import os.path as osp
import sys

from ..conftest import run_tool


def test_main_job_runs_and_resumes(synthetic_data, tmp_path):
    work_dir = str(tmp_path / 'job')
    cmd = [
        sys.executable, 'tools/run_distillation.py', '--data-root',
        synthetic_data, '--work-dir', work_dir, '--epochs', '1',
        '--teacher-epochs', '1'
    ]
    proc = run_tool(cmd, timeout=900)
    out = proc.stdout
    for step in ('[seed 3] audio teacher', '[seed 3] teacher features',
                 '[seed 3] student alone', '[seed 3] MNF + CSC'):
        assert step in out
    for row in ('| audio teacher |', '| student alone |', '| MNF + CSC |'):
        assert row in out
    assert osp.getsize(osp.join(work_dir, 'val_curves.png')) > 1000
    with open(osp.join(work_dir, 'results.json')) as f:
        results = json.load(f)
    assert results['classes'] == ['right_low', 'left_mid', 'down_high',
                                  'up_top']
    for runs in results['results'].values():
        assert len(runs) == 1 and 0 <= runs[0]['top1'] <= 1
        assert len(runs[0]['per_class']) == 4
    feats = osp.join(work_dir, 'seed3', 'teacher', 'features', 'train',
                     'clip_00000.npy')
    assert osp.isfile(feats)
    with open(osp.join(work_dir, 'seed3', 'distill', 'metrics.json')) as f:
        record = json.load(f)
    assert record['seed'] == 3 and record['checkpoint'] == 'epoch_1.pth'
    assert 0 <= record['metrics']['acc/top1'] <= 1

    again = run_tool(cmd, timeout=600)
    assert again.stdout.count('done before:') == 3
    assert 'tools/train.py' not in again.stdout
