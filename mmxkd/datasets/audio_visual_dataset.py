# Copyright (c) mmxkd contributors. All rights reserved.
import json
import os
import os.path as osp
from typing import Any, Callable, Dict, List, Optional, Union

from mmaction.datasets import BaseActionDataset
from mmengine.fileio import list_from_file

from mmxkd.registry import DATASETS
from .feature_norms import log_feature_norms
from .perturbations import swap_sounds, withhold_labels
from .sample_checks import (check_arrays, check_labels, check_videos,
                            drop_bad_samples)

SUBSETS = ('training', 'validation', 'testing')
# the files of a sample, named by the errors raised while loading it
FILE_KEYS = ('filename', 'audio_path', 'teacher_feat_path')


class SampleLoadError(RuntimeError):
    """An error inside a transform of the pipeline, with the sample's files
    and the transform's name (the original error is its ``__cause__``)."""


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
    sample.

    Checks when the dataset is built, in ``filter_data``
    (:mod:`~mmxkd.datasets.sample_checks`; every problem of every sample is
    listed in one error, which names the files):

    - videos exist and are not empty; with ``probe_videos`` each is opened
      with PyAV and demuxed (:mod:`mmxkd.datasets.video_probe`): an
      unreadable or corrupt file, one without a video stream, a truncated
      one (fewer frames than its header lists) and, when the pipeline has a
      training ``SampleFrames`` (``test_mode=False``), one with fewer
      frames than its ``clip_len * frame_interval`` are errors. The probes
      run in ``probe_workers`` processes with a progress bar and are cached
      in ``<cache_dir>/<ann_file name>.video_probe.json`` by path, size and
      modification time, so a large dataset is probed once (by rank 0 in
      a distributed run);
    - spectrograms and teacher features load, are finite and have one
      size: ``teacher_feat_dim``, else the most common one; an all-zero
      teacher feature is an error (MMAction2's ``LoadAudioFeature`` would
      silently load zeros). The number of teacher features and the min /
      median / max of their L2 norms are printed, with a warning naming
      the largest when it exceeds ``NORM_RATIO_WARN`` times the median (of
      the non-zero norms; :mod:`~mmxkd.datasets.feature_norms`);
    - labels lie in ``[0, num_classes)`` when ``num_classes`` is given.

    With ``skip_bad_samples`` the bad samples are dropped instead, and
    ``<cache_dir>/<ann_file name>.bad_samples.json`` lists them with their
    problems (its path is printed). While loading a sample, an error in a
    transform is raised again as a :class:`SampleLoadError` that names the
    sample's files and the transform.

    Sound swap (robustness to irrelevant sound): with ``swap_sound_ratio``
    > 0, ``round(swap_sound_ratio * len(samples))`` samples, drawn with
    ``numpy.random.default_rng(swap_sound_seed)`` (the same ones in every
    build), get the sound of a donor sample drawn from the samples that
    share none of their labels (another class): their ``audio_path`` and
    ``teacher_feat_path`` become the donor's, while their label and video
    stay. Every sample records where its sound comes from in
    ``sound_relpath`` (the donor's ``relpath``, or its own) and whether it
    was swapped in ``sound_swapped`` (its packed data sample carries
    ``sound_relevant``, the negation, unless the sample's info sets
    ``sound_relevant`` itself); caches of anything computed from the sound
    must be keyed by ``sound_relpath``. Other kinds of irrelevant sound
    (noise, mixtures) come from the wrapper
    :class:`~mmxkd.datasets.IrrelevantSoundDataset`, through
    ``info_overrides`` (index -> fields that replace the sample's own).

    Label scarcity (a teacher's knowledge where labels are few): with
    ``labelled_ratio`` < 1, a training set keeps the label of
    ``max(1, round(labelled_ratio * n_c))`` of the ``n_c`` clips of each
    class c, drawn with ``numpy.random.default_rng(labelled_seed)`` from
    the samples in annotation order (after bad samples are dropped and
    sounds swapped), so every process, rank and epoch sees the same
    choice. Every sample then carries ``labelled`` (bool); an unlabelled
    one has ``label`` -1: its true label is withheld from training, while
    its video, sound and teacher feature stay. The dataset attaches
    ``labelled`` to each packed data sample itself (no pipeline change is
    needed), where :class:`~mmxkd.models.CrossModalDistiller` reads it:
    the student's own loss uses the labelled clips only, and each head
    states what it does with the others. How many clips keep their label
    is printed at build. Single-label training sets only.

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
            default all features must share the most common length, which
            is then stored in ``teacher_feat_dim`` (the training hooks
            compare it with the model's teacher).
        delimiter (str): Delimiter of the list file. Defaults to ``' '``.
        swap_sound_ratio (float): Fraction of the samples, in [0, 1], whose
            sound is replaced by that of a sample of another class. Needs
            ``data_prefix`` ``audio`` and/or ``teacher``. Defaults to 0.
        swap_sound_seed (int): Seed of the choice of swapped samples and
            donors. Defaults to 0.
        labelled_ratio (float): Fraction of each class's training clips, in
            (0, 1], that keep their label (see above). Defaults to 1.0
            (every clip).
        labelled_seed (int): Seed of the choice of labelled clips.
            Defaults to 0.
        probe_videos (bool): Open and demux every video at build (see
            above). Defaults to True.
        probe_workers (int, optional): Processes that probe the videos.
            Defaults to ``min(8, os.cpu_count())``.
        cache_dir (str, optional): Folder of the video probe cache and of
            the bad samples report. Defaults to the annotation file's.
        skip_bad_samples (bool): Drop the bad samples and write a report
            instead of raising an error. Defaults to False.
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
                 labelled_ratio: float = 1.0,
                 labelled_seed: int = 0,
                 probe_videos: bool = True,
                 probe_workers: Optional[int] = None,
                 cache_dir: Optional[str] = None,
                 skip_bad_samples: bool = False,
                 **kwargs) -> None:
        if subset not in SUBSETS:
            raise ValueError(f'subset must be one of {SUBSETS}, got {subset}')
        if not 0 <= swap_sound_ratio <= 1:
            raise ValueError('swap_sound_ratio must be in [0, 1], got '
                             f'{swap_sound_ratio}')
        if not 0 < labelled_ratio <= 1:
            raise ValueError('labelled_ratio must be in (0, 1], got '
                             f'{labelled_ratio}')
        if labelled_ratio < 1 and kwargs.get('test_mode', False):
            raise ValueError(
                f'labelled_ratio={labelled_ratio} applies to a training set '
                'only; this dataset has test_mode=True')
        if labelled_ratio < 1 and kwargs.get('multi_class', False):
            raise ValueError(
                f'labelled_ratio={labelled_ratio} needs a single-label '
                'dataset (its choice is stratified by class); this one has '
                'multi_class=True')
        self.subset = subset
        self.filename_tmpl = filename_tmpl
        self.teacher_feat_dim = teacher_feat_dim
        self.delimiter = delimiter
        self.swap_sound_ratio = swap_sound_ratio
        self.swap_sound_seed = swap_sound_seed
        self.labelled_ratio = labelled_ratio
        self.labelled_seed = labelled_seed
        self.probe_videos = probe_videos
        self.probe_workers = probe_workers or min(8, os.cpu_count() or 1)
        self.cache_dir = cache_dir
        self.skip_bad_samples = skip_bad_samples
        # index -> fields that replace the sample's own (set by wrappers
        # such as IrrelevantSoundDataset, after the data list is built)
        self.info_overrides: Dict[int, dict] = {}
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
        return data_list

    def filter_data(self) -> List[dict]:
        """The samples that pass the checks (see the class docstring,
        :mod:`~mmxkd.datasets.sample_checks`), or an error listing every
        problem; with ``skip_bad_samples`` the bad ones are dropped and
        reported instead. Then sounds are swapped and labels withheld
        among the samples kept (:mod:`~mmxkd.datasets.perturbations`). Sets
        ``teacher_feat_dim`` and prints the teacher features' norms.

        Returns:
            list[dict]: The samples kept.
        """
        problems = check_labels(self.data_list, self._num_classes())
        probe = dict(
            cache_file=self._side_file('video_probe.json'),
            workers=self.probe_workers) if self.probe_videos else None
        check_videos(self.data_list, problems, probe, self.pipeline)
        self.teacher_feat_dim, norms = check_arrays(self.data_list, problems,
                                                    self.teacher_feat_dim)
        if norms:
            log_feature_norms(norms, self.ann_file)
        data_list = drop_bad_samples(self.data_list, problems, self.ann_file,
                                     self.skip_bad_samples,
                                     self._side_file('bad_samples.json'))
        swap_sounds(data_list, self.swap_sound_ratio, self.swap_sound_seed,
                    self.ann_file)
        if self.labelled_ratio < 1:
            withhold_labels(data_list, self.labelled_ratio,
                            self.labelled_seed, self.ann_file)
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

    def _side_file(self, suffix: str) -> str:
        """``<cache_dir>/<annotation file name>.<suffix>``; ``cache_dir``
        defaults to the annotation file's folder."""
        folder = self.cache_dir or osp.dirname(osp.abspath(self.ann_file))
        return osp.join(folder, f'{osp.basename(self.ann_file)}.{suffix}')

    def get_data_info(self, idx: int) -> dict:
        """The sample's info, with its ``info_overrides`` applied."""
        info = super().get_data_info(idx)
        info.update(self.info_overrides.get(idx, {}))
        return info

    def prepare_data(self, idx: int) -> Any:
        """The sample ``idx`` through the pipeline, as MMEngine's, except that
        an error inside a transform is raised again as a
        :class:`SampleLoadError` naming the sample's files and the
        transform, that a label-scarce set attaches the sample's
        ``labelled`` flag to its packed data sample, and that every packed
        data sample carries ``sound_relevant`` (False when its sound is
        another clip's): the truth that trust in the teacher is scored
        against, for metrics and logging only, never for a loss."""
        results = self.get_data_info(idx)
        files = {key: results[key] for key in FILE_KEYS if key in results}
        labelled = results.get('labelled')
        relevant = results.get('sound_relevant',
                               not results.get('sound_swapped', False))
        for transform in self.pipeline.transforms:
            try:
                results = transform(results)
            except Exception as err:
                named = ', '.join(f'{key} {path}'
                                  for key, path in files.items())
                raise SampleLoadError(
                    f'sample {idx} of {self.ann_file} ({named}): '
                    f'{type(transform).__name__} failed with '
                    f'{type(err).__name__}: {err}') from err
            if results is None:
                return None
        if 'data_samples' in results:
            if labelled is not None:
                results['data_samples'].set_field(labelled, 'labelled')
            results['data_samples'].set_field(relevant, 'sound_relevant')
        return results
