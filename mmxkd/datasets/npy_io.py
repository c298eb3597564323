# Copyright (c) mmxkd contributors. All rights reserved.
"""Strict reading and atomic writing of the ``.npy`` files mmxkd uses: a
missing or corrupt file is an error naming it, never zeros."""
import os
import os.path as osp

import numpy as np

# marks the temporary files of save_npy_atomic: <name>.npy.tmp-<pid>
TMP_MARK = '.tmp-'


def _load_checked(path: str, ndim: int, what: str) -> np.ndarray:
    if not osp.isfile(path):
        raise FileNotFoundError(f'missing {what}: {path}')
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as err:
        raise ValueError(f'unreadable {what} {path}: {err!r}') from err
    if not isinstance(array, np.ndarray) or not np.issubdtype(
            array.dtype, np.number):
        raise ValueError(f'{what} {path} is not a numeric array')
    if array.ndim != ndim or 0 in array.shape:
        raise ValueError(f'{what} {path} has shape {array.shape}, expected '
                         f'a non-empty {ndim}-D array')
    if not np.isfinite(array).all():
        raise ValueError(f'{what} {path} has non-finite values')
    return array.astype(np.float32, copy=False)


def load_teacher_feature(path: str) -> np.ndarray:
    """A teacher feature: a finite 1-D array (Da, ), as float32."""
    return _load_checked(path, 1, 'teacher feature')


def load_spectrogram(path: str) -> np.ndarray:
    """A log-mel spectrogram: a finite 2-D array (T, n_mels), as float32."""
    return _load_checked(path, 2, 'spectrogram')


def save_npy_atomic(path: str, array: np.ndarray) -> None:
    """Write ``array`` to ``path`` so that a killed process leaves either the
    old file or the complete new one, never a truncated file: the data goes
    to ``<path>.tmp-<pid>``, is synced to disk and renamed."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}{TMP_MARK}{os.getpid()}'
    try:
        with open(tmp, 'wb') as f:
            np.save(f, array)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
