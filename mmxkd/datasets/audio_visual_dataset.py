# Copyright (c) mmxkd contributors. All rights reserved.
import json
import os.path as osp
from typing import Callable, Dict, List, Optional, Union

import numpy as np
from mmaction.datasets import BaseActionDataset
from mmengine.fileio import list_from_file

from mmxkd.registry import DATASETS

SUBSETS = ('training', 'validation', 'testing')


@DATASETS.register_module()
class AudioVisualDataset(BaseActionDataset):
    """Videos with a per-clip teacher feature (e.g. an audio embedding).

    Two annotation formats:

    - a list file (MMAction2's ``VideoDataset`` format, so the same file
      serves the student alone): one ``<video> <label>`` per line, the video
      relative to ``data_prefix['video']``;
    - a ``.json`` file in the reference's layout: ``{"labels": [names],
      "database": {id: {"subset": "training", "annotations": {"label":
      name}}}}``; ``subset`` selects the entries and ``filename_tmpl`` (with
      ``{video_id}`` and ``{label}``) gives the video's relative path.

    The teacher feature of ``<dir>/<name>.<ext>`` is
    ``data_prefix['teacher']/<dir>/<name>.npy``: a 1-D float array. Without a
    ``teacher`` prefix (validation / test) no feature is attached. Every
    video and feature is checked when the dataset is built: a missing,
    unreadable, non-finite or wrongly shaped file raises an error that names
    it (MMAction2's ``LoadAudioFeature`` would silently load zeros).

    Args:
        ann_file (str): Path of the annotation file.
        pipeline (list[dict | callable]): Data transforms.
        data_prefix (dict): ``video`` and optional ``teacher`` directories.
            Defaults to ``dict(video='')``.
        subset (str): JSON format only: one of ``training``, ``validation``,
            ``testing``. Defaults to ``'training'``.
        filename_tmpl (str): JSON format only. Defaults to
            ``'{video_id}.mp4'``.
        teacher_feat_dim (int, optional): Expected feature length; by
            default all features must share the first one's length.
        delimiter (str): Delimiter of the list file. Defaults to ``' '``.
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
                 **kwargs) -> None:
        if subset not in SUBSETS:
            raise ValueError(f'subset must be one of {SUBSETS}, got {subset}')
        self.subset = subset
        self.filename_tmpl = filename_tmpl
        self.teacher_feat_dim = teacher_feat_dim
        self.delimiter = delimiter
        super().__init__(
            ann_file, pipeline=pipeline, data_prefix=data_prefix, **kwargs)

    def load_data_list(self) -> List[dict]:
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
                filename=osp.join(self.data_prefix['video'], relpath),
                label=label)
            if 'teacher' in self.data_prefix:
                info['teacher_feat_path'] = osp.join(
                    self.data_prefix['teacher'],
                    osp.splitext(relpath)[0] + '.npy')
            data_list.append(info)
        if not data_list:
            raise ValueError(f'annotation file {self.ann_file} lists no '
                             'samples' + (f' of subset "{self.subset}"' if
                                          self.ann_file.endswith('.json')
                                          else ''))
        self._check_files(data_list)
        return data_list

    def _parse_list(self) -> List[tuple]:
        entries = []
        for lineno, line in enumerate(list_from_file(self.ann_file), 1):
            if not line.strip():
                continue
            fields = line.strip().split(self.delimiter)
            try:
                if len(fields) != 2:
                    raise ValueError
                entries.append((fields[0], int(fields[1])))
            except ValueError:
                raise ValueError(
                    f'{self.ann_file}:{lineno}: expected "<video> <label>" '
                    f'with an integer label, got "{line.strip()}"') from None
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
        num_classes = self.metainfo.get('num_classes') or getattr(
            self, 'num_classes', None)
        expected_dim = self.teacher_feat_dim
        for info in data_list:
            if not osp.isfile(info['filename']) or osp.getsize(
                    info['filename']) == 0:
                problems.append(f'missing or empty video: {info["filename"]}')
            if num_classes is not None and not 0 <= info['label'] < num_classes:
                problems.append(f'label {info["label"]} of {info["filename"]}'
                                f' is outside [0, {num_classes})')
            if 'teacher_feat_path' not in info:
                continue
            try:
                feat = load_teacher_feature(info['teacher_feat_path'])
            except (OSError, ValueError) as err:
                problems.append(str(err))
                continue
            if expected_dim is None:
                expected_dim = feat.shape[0]
            elif feat.shape[0] != expected_dim:
                problems.append(
                    f'teacher feature {info["teacher_feat_path"]} has length '
                    f'{feat.shape[0]}, expected {expected_dim}')
        if problems:
            shown = '\n  '.join(problems[:20])
            more = (f'\n  ... and {len(problems) - 20} more'
                    if len(problems) > 20 else '')
            raise FileNotFoundError(
                f'{len(problems)} problem(s) in the samples of '
                f'{self.ann_file}:\n  {shown}{more}')


def load_teacher_feature(path: str) -> np.ndarray:
    """Read one teacher feature: a finite 1-D array, returned as float32.

    Raises ``OSError`` / ``ValueError`` naming ``path`` otherwise.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'missing teacher feature: {path}')
    try:
        feat = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as err:
        raise ValueError(f'unreadable teacher feature {path}: {err!r}') from err
    if not isinstance(feat, np.ndarray) or not np.issubdtype(
            feat.dtype, np.number):
        raise ValueError(f'teacher feature {path} is not a numeric array')
    if feat.ndim != 1:
        raise ValueError(f'teacher feature {path} has shape {feat.shape}, '
                         'expected a 1-D vector')
    if not np.isfinite(feat).all():
        raise ValueError(f'teacher feature {path} has non-finite values')
    return feat.astype(np.float32, copy=False)
