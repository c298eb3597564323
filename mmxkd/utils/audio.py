# Copyright (c) mmxkd contributors. All rights reserved.
"""The log-mel spectrogram of mmxkd's audio teachers.

A power mel spectrogram by librosa (Hann window, ``center=True`` with zero
padding, so ``T = 1 + num_samples // hop_length``; Slaney mel scale with
Slaney-normalised filters), saved as ``log(mel + LOG_OFFSET)``: the floor
keeps a silent track finite (``log(1e-6) = -13.8``).
"""
from typing import NamedTuple

import librosa
import numpy as np

LOG_OFFSET = 1e-6


class MelParams(NamedTuple):
    """Log-mel spectrogram parameters; the defaults are those of
    ``tools/data/build_audio_features.py`` and of every mmxkd config."""
    sample_rate: int = 16000  # Hz the audio is resampled to
    n_fft: int = 512  # FFT size in samples (32 ms at 16 kHz)
    win_length: int = 400  # Hann window, <= n_fft (25 ms at 16 kHz)
    hop_length: int = 160  # samples between frames (10 ms at 16 kHz)
    n_mels: int = 64  # mel bands: the columns of the spectrogram
    fmin: float = 0.0  # Hz
    fmax: float = 8000.0  # Hz, <= sample_rate / 2

    def describe(self) -> str:
        """Every parameter, fixed ones included, in one line."""
        settings = ' '.join(f'{k}={v}' for k, v in self._asdict().items())
        return (f'{settings} window=hann power=2.0 center=True htk=False '
                f'norm=slaney, log(mel + {LOG_OFFSET})')


def log_mel(audio: np.ndarray, params: MelParams = MelParams()) -> np.ndarray:
    """``log(mel + LOG_OFFSET)`` of a mono signal.

    Args:
        audio (np.ndarray): Mono samples at ``params.sample_rate``.
        params (MelParams): The spectrogram's parameters. Defaults to
            ``MelParams()``.

    Returns:
        np.ndarray: The spectrogram, one row per frame.

    Shapes:
        audio: (N, ) float32.
        output: (1 + N // hop_length, n_mels) float32.
    """
    mel = librosa.feature.melspectrogram(
        y=audio,
        sr=params.sample_rate,
        n_fft=params.n_fft,
        hop_length=params.hop_length,
        win_length=params.win_length,
        window='hann',
        center=True,
        pad_mode='constant',
        power=2.0,
        n_mels=params.n_mels,
        fmin=params.fmin,
        fmax=params.fmax,
        htk=False,
        norm='slaney')
    return np.ascontiguousarray(np.log(mel + LOG_OFFSET).T, dtype=np.float32)
