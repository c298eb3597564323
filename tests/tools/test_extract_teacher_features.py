# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/extract_teacher_features.py: single process, 2 CPU processes,
resume."""
import glob
import os
import os.path as osp
import socket
import subprocess
import sys

import numpy as np
import pytest

from ..conftest import TEACHER_CFG, audio_options, run_tool

pytestmark = pytest.mark.integration


def _extract(checkpoint, data, out_dir, nproc=1):
    tool = ['tools/extract_teacher_features.py', TEACHER_CFG, checkpoint,
            '--out-dir', out_dir, '--batch-size', '5', '--cfg-options'
            ] + audio_options(data)
    if nproc == 1:
        return run_tool([sys.executable] + tool)
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    return run_tool([
        sys.executable, '-m', 'torch.distributed.run',
        f'--nproc_per_node={nproc}', f'--master_port={port}'
    ] + tool[:1] + ['--launcher', 'pytorch'] + tool[1:], timeout=600)


def _features(out_dir):
    files = sorted(glob.glob(osp.join(out_dir, '**', '*.npy'),
                             recursive=True))
    return {osp.relpath(f, out_dir): np.load(f) for f in files}


def test_distributed_equals_single_process(synthetic_data, trained_teacher,
                                           tmp_path):
    single, dist = str(tmp_path / 'single'), str(tmp_path / 'dist')
    proc = _extract(trained_teacher, synthetic_data, single)
    assert '16 teacher features of length 512' in proc.stdout
    _extract(trained_teacher, synthetic_data, dist, nproc=2)
    a, b = _features(single), _features(dist)
    assert len(a) == 16 and sorted(a) == sorted(b)
    assert sorted(a)[0] == osp.join('train', 'clip_00000.npy')
    for key in a:
        assert a[key].shape == (512, ) and np.isfinite(a[key]).all()
        np.testing.assert_allclose(a[key], b[key], rtol=1e-4, atol=1e-5)


def test_resume_skips_done_and_redoes_broken(synthetic_data, trained_teacher,
                                             tmp_path):
    out = str(tmp_path / 'feats')
    _extract(trained_teacher, synthetic_data, out)
    done = osp.join(out, 'train', 'clip_00003.npy')
    broken = osp.join(out, 'train', 'clip_00004.npy')
    expected = np.load(broken)
    os.utime(done, (1, 1))
    with open(broken, 'wb') as f:
        f.write(b'\x93NUMPY garbage')
    dead = subprocess.Popen([sys.executable, '-c', 'pass'])
    dead.wait()
    with open(f'{done}.tmp-{dead.pid}', 'wb') as f:  # a killed run's
        f.write(b'\x93NUMPY half')
    proc = _extract(trained_teacher, synthetic_data, out)
    assert 'removed 1 temporary file(s) of killed runs' in proc.stdout
    assert '15 already done, 1 to compute' in proc.stdout
    assert os.stat(done).st_mtime == 1
    np.testing.assert_allclose(np.load(broken), expected, rtol=1e-4, atol=1e-5)
    assert not glob.glob(osp.join(out, '**', '*.tmp*'), recursive=True)
