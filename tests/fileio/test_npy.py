# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.fileio.npy: strict loading and atomic saving of arrays."""
import os

import numpy as np
import pytest

from mmxkd.fileio import (load_spectrogram, load_teacher_feature,
                          save_npy_atomic)


def test_save_and_load(tmp_path):
    path = str(tmp_path / 'deep' / 'feat.npy')
    save_npy_atomic(path, np.arange(4, dtype=np.float64))
    feat = load_teacher_feature(path)
    assert feat.dtype == np.float32 and feat.tolist() == [0, 1, 2, 3]
    assert os.listdir(tmp_path / 'deep') == ['feat.npy']


@pytest.mark.parametrize('array, match', [
    (np.zeros(3), 'expected a non-empty 2-D array'),
    (np.zeros((0, 4)), 'expected a non-empty 2-D array'),
    (np.full((2, 2), np.nan), 'non-finite'),
    (np.array([['a']]), 'not a numeric array'),
])
def test_bad_spectrograms_name_the_file(tmp_path, array, match):
    path = str(tmp_path / 'spec.npy')
    np.save(path, array)
    with pytest.raises(ValueError, match=match) as err:
        load_spectrogram(path)
    assert path in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.npy'):
        load_teacher_feature(str(tmp_path / 'nope.npy'))
