# Copyright (c) mmxkd contributors. All rights reserved.
import json
import os.path as osp
from typing import Callable, Dict, FrozenSet, List, Optional, Union

import numpy as np
from mmaction.datasets import BaseActionDataset
from mmengine.fileio import list_from_file

from mmxkd.fileio import load_spectrogram, load_teacher_feature
from mmxkd.registry import DATASETS

SUBSETS = ('training', 'validation', 'testing')


@DATASETS.register_module()
class AudioVisualDataset(BaseActionDataset):
    """Videos with a per-clip teacher feature (e.g. an audio embedding).

    Two annotation formats:

    - a list file (MMAction2's ``VideoDataset`` format, so the same file
      serves the student alone): one ``<video> <label>`` per line, the video
      relative to ``data_prefix['video']``; with ``multi_class=True``
      (tagging), ``<video> <label> [<label> ...]``, read as a list of labels
      that MMAction2 one-hot encodes over ``num_classes``;
    - a ``.json`` file in the reference's layout: ``{"labels": [names],
      "database": {id: {"subset": "training", "annotations": {"label":
      name}}}}``; ``subset`` selects the entries and ``filename_tmpl`` (with
      ``{video_id}`` and ``{label}``) gives the video's relative path.

    For the sample ``<dir>/<name>.<ext>``, ``data_prefix`` gives the video
    ``video/<dir>/<name>.<ext>`` (``filename``), its log-mel spectrogram
    ``audio/<dir>/<name>.npy`` (``audio_path``, (T, n_mels)) and its teacher
    feature ``teacher/<dir>/<name>.npy`` (``teacher_feat_path``, (Da, )); each
    prefix is optional (an audio teacher trains on ``audio`` alone; the
    student is evaluated on ``video`` alone), and ``relpath`` identifies the
    sample. Every file is checked when the dataset is built: a missing,
    unreadable, non-finite or wrongly shaped file raises an error that names
    it (MMAction2's ``LoadAudioFeature`` would silently load zeros).

    Sound swap (robustness to irrelevant sound): with ``swap_sound_ratio``
    > 0, ``round(swap_sound_ratio * len(samples))`` samples, drawn with
    ``numpy.random.default_rng(swap_sound_seed)`` (the same ones in every
    build), get the sound of a donor sample drawn from the samples that
    share none of their labels (another class): their ``audio_path`` and
    ``teacher_feat_path`` become the donor's, while their label and video
    stay. Every sample records where its sound comes from in
    ``sound_relpath`` (the donor's ``relpath``, or its own) and whether it
    was swapped in ``sound_swapped``; caches of anything computed from the
    sound must be keyed by ``sound_relpath``.

    Args:
        ann_file (str): Path of the annotation file.
        pipeline (list[dict | callable]): Data transforms.
        data_prefix (dict): ``video``, ``audio`` and ``teacher``
            directories, at least one of ``video`` and ``audio``. Defaults to
            ``dict(video='')``.
        subset (str): JSON format only: one of ``training``, ``validation``,
            ``testing``. Defaults to ``'training'``.
        filename_tmpl (str): JSON format only. Defaults to
            ``'{video_id}.mp4'``.
        teacher_feat_dim (int, optional): Expected feature length; by
            default all features must share the first one's length.
        delimiter (str): Delimiter of the list file. Defaults to ``' '``.
        swap_sound_ratio (float): Fraction of the samples, in [0, 1], whose
            sound is replaced by that of a sample of another class. Needs
            ``data_prefix`` ``audio`` and/or ``teacher``. Defaults to 0.
        swap_sound_seed (int): Seed of the choice of swapped samples and
            donors. Defaults to 0.
        **kwargs: Passed to MMAction2's ``BaseActionDataset``
            (``num_classes``, ``test_mode``, ...).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[dict, Callable]],
                 data_prefix: Dict[str, str] = dict(video=''),
                 subset: str = 'training',
                 filename_tmpl: str = '{video_id}.mp4',
                 teacher_feat_dim: Optional[int] = None,
                 delimiter: str = ' ',
                 swap_sound_ratio: float = 0.0,
                 swap_sound_seed: int = 0,
                 **kwargs) -> None:
        if subset not in SUBSETS:
            raise ValueError(f'subset must be one of {SUBSETS}, got {subset}')
        if not 0 <= swap_sound_ratio <= 1:
            raise ValueError('swap_sound_ratio must be in [0, 1], got '
                             f'{swap_sound_ratio}')
        self.subset = subset
        self.filename_tmpl = filename_tmpl
        self.teacher_feat_dim = teacher_feat_dim
        self.delimiter = delimiter
        self.swap_sound_ratio = swap_sound_ratio
        self.swap_sound_seed = swap_sound_seed
        super().__init__(
            ann_file, pipeline=pipeline, data_prefix=data_prefix, **kwargs)

    def load_data_list(self) -> List[dict]:
        if not {'video', 'audio'} & set(self.data_prefix):
            raise ValueError('data_prefix needs "video" and/or "audio", got '
                             f'{dict(self.data_prefix)}')
        if self.swap_sound_ratio > 0 and not {'audio', 'teacher'} & set(
                self.data_prefix):
            raise ValueError('swap_sound_ratio needs data_prefix "audio" '
                             f'and/or "teacher", got {dict(self.data_prefix)}')
        if self.multi_class and self._num_classes() is None:
            raise ValueError('multi_class=True needs num_classes (the length '
                             'of the one-hot labels)')
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'annotation file {self.ann_file} does not exist (ann_file)')
        if self.ann_file.endswith('.json'):
            entries = self._parse_json()
        else:
            entries = self._parse_list()
        data_list = []
        for relpath, label in entries:
            info = dict(
                relpath=relpath,
                label=label,
                sound_relpath=relpath,
                sound_swapped=False)
            if 'video' in self.data_prefix:
                info['filename'] = osp.join(self.data_prefix['video'], relpath)
            stem = osp.splitext(relpath)[0] + '.npy'
            if 'audio' in self.data_prefix:
                info['audio_path'] = osp.join(self.data_prefix['audio'], stem)
            if 'teacher' in self.data_prefix:
                info['teacher_feat_path'] = osp.join(
                    self.data_prefix['teacher'], stem)
            data_list.append(info)
        if not data_list:
            raise ValueError(f'annotation file {self.ann_file} lists no '
                             'samples' + (f' of subset "{self.subset}"' if
                                          self.ann_file.endswith('.json')
                                          else ''))
        self._check_files(data_list)
        self._swap_sounds(data_list)
        return data_list

    def _num_classes(self) -> Optional[int]:
        """``num_classes`` of the metainfo or of the arguments, if given."""
        return self.metainfo.get('num_classes') or getattr(
            self, 'num_classes', None)

    def _parse_list(self) -> List[tuple]:
        entries = []
        for lineno, line in enumerate(list_from_file(self.ann_file), 1):
            if not line.strip():
                continue
            fields = line.strip().split(self.delimiter)
            try:
                if len(fields) < 2 or (len(fields) > 2
                                       and not self.multi_class):
                    raise ValueError
                labels = [int(field) for field in fields[1:]]
                entries.append(
                    (fields[0], labels if self.multi_class else labels[0]))
            except ValueError:
                expected = ('"<video> <label> [<label> ...]" with integer '
                            'labels' if self.multi_class else
                            '"<video> <label>" with an integer label')
                raise ValueError(
                    f'{self.ann_file}:{lineno}: expected {expected}, '
                    f'got "{line.strip()}"') from None
        return entries

    def _parse_json(self) -> List[tuple]:
        with open(self.ann_file) as f:
            content = json.load(f)
        if not {'labels', 'database'} <= set(content):
            raise ValueError(f'{self.ann_file} must have the keys "labels" '
                             'and "database"')
        class_index = {name: i for i, name in enumerate(content['labels'])}
        entries = []
        for video_id, entry in content['database'].items():
            if entry.get('subset') != self.subset:
                continue
            name = entry.get('annotations', {}).get('label')
            if name not in class_index:
                raise ValueError(f'{self.ann_file}: "{video_id}" has label '
                                 f'"{name}", which is not in "labels"')
            relpath = self.filename_tmpl.format(video_id=video_id, label=name)
            entries.append((relpath, class_index[name]))
        return entries

    def _check_files(self, data_list: List[dict]) -> None:
        problems = []
        num_classes = self._num_classes()
        expected = dict(teacher_feat_path=self.teacher_feat_dim,
                        audio_path=None)
        for info in data_list:
            if 'filename' in info and (not osp.isfile(info['filename'])
                                       or osp.getsize(info['filename']) == 0):
                problems.append(f'missing or empty video: {info["filename"]}')
            for label in sorted(_label_set(info['label'])):
                if num_classes is not None and not 0 <= label < num_classes:
                    name = info.get('filename', info['relpath'])
                    problems.append(f'label {label} of {name}'
                                    f' is outside [0, {num_classes})')
            for key, loader, what in (
                    ('teacher_feat_path', load_teacher_feature, 'length'),
                    ('audio_path', load_spectrogram, 'mel bins')):
                if key not in info:
                    continue
                try:
                    size = loader(info[key]).shape[-1]
                except (OSError, ValueError) as err:
                    problems.append(str(err))
                    continue
                if expected[key] is None:
                    expected[key] = size
                elif size != expected[key]:
                    problems.append(f'{info[key]} has {what} {size}, '
                                    f'expected {expected[key]}')
        if problems:
            shown = '\n  '.join(problems[:20])
            more = (f'\n  ... and {len(problems) - 20} more'
                    if len(problems) > 20 else '')
            raise FileNotFoundError(
                f'{len(problems)} problem(s) in the samples of '
                f'{self.ann_file}:\n  {shown}{more}')

    def _swap_sounds(self, data_list: List[dict]) -> None:
        """Give ``swap_sound_ratio`` of the samples the sound of a sample
        with none of their labels (see the class docstring)."""
        num_swapped = round(self.swap_sound_ratio * len(data_list))
        if num_swapped == 0:
            return
        sound_keys = [
            key for key in ('audio_path', 'teacher_feat_path')
            if key in data_list[0]
        ]
        originals = [info.copy() for info in data_list]
        label_sets = [_label_set(info['label']) for info in data_list]
        with_label: Dict[int, List[int]] = {}
        for index, labels in enumerate(label_sets):
            for label in labels:
                with_label.setdefault(label, []).append(index)
        donors: Dict[FrozenSet[int], np.ndarray] = {}
        rng = np.random.default_rng(self.swap_sound_seed)
        chosen = rng.choice(len(data_list), size=num_swapped, replace=False)
        for index in sorted(chosen.tolist()):
            labels = label_sets[index]
            if labels not in donors:
                allowed = np.ones(len(data_list), dtype=bool)
                for label in labels:
                    allowed[with_label[label]] = False
                donors[labels] = np.flatnonzero(allowed)
            candidates = donors[labels]
            if len(candidates) == 0:
                raise ValueError(
                    f'swap_sound_ratio={self.swap_sound_ratio}: every sample '
                    f'of {self.ann_file} shares a label with '
                    f'{data_list[index]["relpath"]} (labels '
                    f'{sorted(labels)}), so no sound of another class can '
                    'replace its sound')
            donor = originals[candidates[rng.integers(len(candidates))]]
            info = data_list[index]
            info.update({key: donor[key] for key in sound_keys})
            info['sound_relpath'] = donor['relpath']
            info['sound_swapped'] = True


def _label_set(label: Union[int, List[int]]) -> FrozenSet[int]:
    """The labels of a sample: one (``int``) or several (tagging)."""
    return frozenset(label if isinstance(label, list) else [label])
