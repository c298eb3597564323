# Copyright (c) mmxkd contributors. All rights reserved.
"""Strict reading and atomic writing of the ``.npy`` files mmxkd uses: a
missing or corrupt file is an error naming it, never zeros."""
import os.path as osp

import numpy as np

from .atomic import atomic_open


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


def spectrogram_complete(path: str, n_mels: int) -> bool:
    """Whether ``path`` holds a finite 2-D float32 array with ``n_mels``
    columns (a file with a NaN or inf is computed again)."""
    try:
        feat = np.load(path, mmap_mode='r', allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return False
    return (isinstance(feat, np.ndarray) and feat.dtype == np.float32
            and feat.ndim == 2 and feat.shape[0] > 0
            and feat.shape[1] == n_mels and bool(np.isfinite(feat).all()))


def save_npy_atomic(path: str, array: np.ndarray) -> None:
    """``np.save`` ``array`` to ``path`` atomically (see
    :class:`~mmxkd.fileio.atomic.AtomicFile`): a killed process leaves either
    the old file or the complete new one. The folder is created if needed."""
    with atomic_open(path, 'wb') as f:
        np.save(f, array)
