# Copyright (c) mmxkd contributors. All rights reserved.

import numpy as np
from mmcv.transforms import BaseTransform

from mmxkd.fileio import load_spectrogram, load_teacher_feature
from mmxkd.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadTeacherFeature(BaseTransform):
    """Load the clip's precomputed teacher feature.

    Required keys: ``teacher_feat_path``. Added keys: ``teacher_feat``
    (Da, ) float32. Pack it with
    ``PackActionInputs(algorithm_keys=('teacher_feat', ))``. A missing or
    corrupt file raises an error with its path; nothing is replaced by zeros.
    """

    def transform(self, results: dict) -> dict:
        if 'teacher_feat_path' not in results:
            raise KeyError(
                'LoadTeacherFeature needs "teacher_feat_path": give the '
                "dataset data_prefix=dict(video=..., teacher=...)")
        results['teacher_feat'] = load_teacher_feature(
            results['teacher_feat_path'])
        return results


@TRANSFORMS.register_module()
class LoadAudioSpectrogram(BaseTransform):
    """Load the clip's log-mel spectrogram (written by
    ``tools/data/build_audio_features.py``).

    Required keys: ``audio_path``. Added keys: ``key`` (T, n_mels) float32;
    with ``key='audios'`` (an audio-only pipeline) also ``length`` = T and,
    unless a video set it, ``total_frames`` = T, as MMAction2's audio
    transforms expect. A missing or corrupt file raises an error with its
    path (MMAction2's ``LoadAudioFeature`` would return zeros).

    Args:
        key (str): Where to put the spectrogram. Use ``'teacher_audio'`` to
            feed a live teacher next to the video. Defaults to ``'audios'``.
    """

    def __init__(self, key: str = 'audios') -> None:
        self.key = key

    def transform(self, results: dict) -> dict:
        if 'audio_path' not in results:
            raise KeyError('LoadAudioSpectrogram needs "audio_path": give the '
                           'dataset data_prefix=dict(audio=...)')
        spec = load_spectrogram(results['audio_path'])
        results[self.key] = spec
        if self.key == 'audios':
            results['length'] = spec.shape[0]
            results.setdefault('total_frames', spec.shape[0])
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(key={self.key!r})'


@TRANSFORMS.register_module()
class SpectrogramWindow(BaseTransform):
    """Cut a fixed-length window from a spectrogram.

    Longer spectrograms are cropped (centred, or at a random offset when
    ``random_crop``); shorter ones are padded at the end with their minimum
    (silence in log-mel). The output is one clip with one channel,
    ``(1, 1, length, n_mels)`` ("NCTF"), ready for ``PackActionInputs`` and
    MMAction2's ``RecognizerAudio``. ``{key}_view`` records the window as
    ``'<start>+<length>'``, so a live teacher can cache its output per view.

    Args:
        length (int): Window length in spectrogram frames.
        random_crop (bool): Random offset instead of the centre. Defaults to
            False.
        key (str): The spectrogram's key. Defaults to ``'audios'``.
    """

    def __init__(self,
                 length: int,
                 random_crop: bool = False,
                 key: str = 'audios') -> None:
        if length < 1:
            raise ValueError(f'length must be >= 1, got {length}')
        self.length = length
        self.random_crop = random_crop
        self.key = key

    def transform(self, results: dict) -> dict:
        spec = results[self.key]
        if spec.ndim != 2:
            raise ValueError(f'{self.key} must be (T, n_mels), got shape '
                             f'{spec.shape}; use it before other audio steps')
        frames = spec.shape[0]
        start = 0
        if frames >= self.length:
            room = frames - self.length
            start = (np.random.randint(room + 1)
                     if self.random_crop else room // 2)
            window = spec[start:start + self.length]
        else:
            pad = np.full((self.length - frames, spec.shape[1]), spec.min(),
                          dtype=spec.dtype)
            window = np.concatenate([spec, pad])
        results[self.key] = window[None, None].astype(np.float32)
        results[f'{self.key}_view'] = f'{start}+{self.length}'
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(length={self.length}, '
                f'random_crop={self.random_crop}, key={self.key!r})')
