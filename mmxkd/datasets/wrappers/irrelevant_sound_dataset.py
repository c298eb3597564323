# Copyright (c) mmxkd contributors. All rights reserved.
import os.path as osp
from typing import Any, Dict, Optional, Union

import numpy as np
from mmengine.logging import print_log

from mmxkd.fileio import load_spectrogram, load_teacher_feature
from mmxkd.registry import DATASETS
from ..audio_visual_dataset import AudioVisualDataset

KINDS = ('noise', 'mix')
# the sample fields an altered sound replaces, by data_prefix key
SOUND_FIELDS = dict(audio='audio_path', teacher='teacher_feat_path')


@DATASETS.register_module()
class IrrelevantSoundDataset:
    """Irrelevant sound for a share of an :class:`AudioVisualDataset`'s
    clips: their sound, and the teacher's feature of it, are replaced by an
    altered version written beforehand (``tools/data/
    build_irrelevant_sound.py``, then ``tools/extract_teacher_features.py``
    on the altered spectrograms).

    ``round(ratio * len(dataset))`` clips, drawn with
    ``numpy.random.default_rng(seed)`` (the same ones in every build), read
    ``<sound_prefix[key]>/<dir>/<name>.npy`` for each key of ``sound_prefix``
    (``audio``: the log-mel spectrogram, ``teacher``: the teacher feature)
    instead of their own, and carry ``sound_relevant=False`` and
    ``sound_kind=kind``; label, video and label-scarce flags stay. Every
    altered file is loaded and checked when the wrapper is built: a missing
    or broken one, or a teacher feature whose length differs from the
    dataset's, is an error that names it.

    Kinds (the wrapper only names them; the tool makes them):

    - ``'noise'``: the clip's sound replaced by non-speech noise of its
      length (white, pink or brown noise, tones, or a faint hiss);
    - ``'mix'``: the clip's own sound mixed with a clip of another class at
      a given SNR.

    Args:
        dataset (dict | AudioVisualDataset): The wrapped training set.
        kind (str): ``'noise'`` or ``'mix'``.
        ratio (float): Share of the clips altered, in [0, 1].
        sound_prefix (dict): Folders of the altered files, keys among
            ``audio`` and ``teacher``; each must be a key the dataset's own
            ``data_prefix`` has.
        seed (int): Seed of the choice of clips. Defaults to 0.
        lazy_init (bool): Defer loading (MMEngine's dataset protocol).
            Defaults to False.
    """

    def __init__(self,
                 dataset: Union[dict, AudioVisualDataset],
                 kind: str,
                 ratio: float,
                 sound_prefix: Dict[str, str],
                 seed: int = 0,
                 lazy_init: bool = False) -> None:
        if kind not in KINDS:
            raise ValueError(f'IrrelevantSoundDataset: kind must be one of '
                             f'{KINDS}, got {kind!r}')
        if not 0 <= ratio <= 1:
            raise ValueError('IrrelevantSoundDataset: ratio must be in '
                             f'[0, 1], got {ratio}')
        unknown = set(sound_prefix) - set(SOUND_FIELDS)
        if not sound_prefix or unknown:
            raise ValueError(
                'IrrelevantSoundDataset: sound_prefix needs keys among '
                f'{sorted(SOUND_FIELDS)}, got {sorted(sound_prefix)}')
        self.dataset = (DATASETS.build(dataset)
                        if isinstance(dataset, dict) else dataset)
        if not isinstance(self.dataset, AudioVisualDataset):
            raise TypeError('IrrelevantSoundDataset wraps an '
                            'AudioVisualDataset, got '
                            f'{type(self.dataset).__name__}')
        missing = set(sound_prefix) - set(self.dataset.data_prefix)
        if missing:
            raise ValueError(
                f'IrrelevantSoundDataset: sound_prefix has {sorted(missing)}'
                ', which the wrapped dataset\'s data_prefix lacks '
                f'({dict(self.dataset.data_prefix)})')
        self.kind = kind
        self.ratio = ratio
        self.sound_prefix = dict(sound_prefix)
        self.seed = seed
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        return self.dataset.metainfo

    @property
    def pipeline(self):
        return self.dataset.pipeline

    def full_init(self) -> None:
        """Load the wrapped dataset, choose the clips and check their
        altered files."""
        if self._fully_initialized:
            return
        self.dataset.full_init()
        num = len(self.dataset)
        chosen = np.random.default_rng(self.seed).choice(
            num, size=round(self.ratio * num), replace=False)
        expected = self._feature_length()
        overrides, problems = {}, []
        for index in sorted(chosen.tolist()):
            info = self.dataset.get_data_info(index)
            stem = osp.splitext(info['relpath'])[0] + '.npy'
            fields = dict(sound_relevant=False, sound_kind=self.kind)
            for key, root in self.sound_prefix.items():
                path = osp.join(root, stem)
                fields[SOUND_FIELDS[key]] = path
                problems += self._check(key, path, expected)
            overrides[index] = fields
        if problems:
            shown = '\n  '.join(problems[:20])
            more = (f'\n  ... and {len(problems) - 20} more'
                    if len(problems) > 20 else '')
            raise ValueError(
                f'IrrelevantSoundDataset ({self.kind}): {len(problems)} '
                f'problem(s) in the altered sound ({self.sound_prefix}); '
                'make it with tools/data/build_irrelevant_sound.py and '
                f'tools/extract_teacher_features.py:\n  {shown}{more}')
        self.dataset.info_overrides = overrides
        print_log(
            f'IrrelevantSoundDataset: {len(overrides)} of the {num} clips of '
            f'{self.dataset.ann_file} carry {self.kind} sound (ratio '
            f'{self.ratio}, seed {self.seed})',
            logger='current')
        self._fully_initialized = True

    def _feature_length(self) -> Optional[int]:
        """The teacher feature length of the wrapped dataset's clips."""
        if 'teacher' not in self.sound_prefix:
            return None
        if self.dataset.teacher_feat_dim is not None:
            return self.dataset.teacher_feat_dim
        own = self.dataset.get_data_info(0).get('teacher_feat_path')
        return None if own is None else len(load_teacher_feature(own))

    @staticmethod
    def _check(key: str, path: str, expected: Optional[int]) -> list:
        try:
            array = (load_teacher_feature(path)
                     if key == 'teacher' else load_spectrogram(path))
        except (OSError, ValueError) as err:
            return [str(err)]
        if key == 'teacher' and expected is not None and len(
                array) != expected:
            return [f'{path} has length {len(array)}, expected {expected} '
                    '(the teacher features of the wrapped dataset)']
        return []

    def get_data_info(self, idx: int) -> dict:
        return self.dataset.get_data_info(idx)

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, idx: int) -> Any:
        if not self._fully_initialized:
            self.full_init()
        return self.dataset[idx]
