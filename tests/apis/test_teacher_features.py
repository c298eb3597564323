# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.apis.teacher_features: where features go, which are done, the final
check (the extraction itself: tests/tools/test_extract_teacher_features.py).
"""
import os.path as osp

import numpy as np
import pytest

from mmxkd.apis.teacher_features import check_outputs, is_done, out_path


def save(path, array: np.ndarray) -> str:
    """``np.save``; returns the path."""
    np.save(path, array)
    return str(path)


def test_out_path_mirrors_the_clip():
    assert out_path('/feats', 'train/clip_00001.mp4') == osp.join(
        '/feats', 'train', 'clip_00001.npy')


def test_is_done(tmp_path):
    assert is_done(save(tmp_path / 'a.npy', np.ones(4, np.float32)))
    assert not is_done(str(tmp_path / 'missing.npy'))
    assert not is_done(save(tmp_path / 'nan.npy', np.array([1.0, np.nan])))
    broken = tmp_path / 'broken.npy'
    broken.write_bytes(b'\x93NUMPY garbage')
    assert not is_done(str(broken))


def test_check_outputs(tmp_path):
    a = save(tmp_path / 'a.npy', np.ones(4, np.float32))
    b = save(tmp_path / 'b.npy', np.zeros(4, np.float32))
    assert check_outputs([a, b]) == 4
    c = save(tmp_path / 'c.npy', np.zeros(3, np.float32))
    with pytest.raises(ValueError, match='of different lengths: 4 .*3 '):
        check_outputs([a, b, c])
    with pytest.raises(FileNotFoundError):
        check_outputs([a, str(tmp_path / 'missing.npy')])
