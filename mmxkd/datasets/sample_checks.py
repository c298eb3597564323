# Copyright (c) mmxkd contributors. All rights reserved.
"""The checks of an :class:`~mmxkd.datasets.AudioVisualDataset`'s samples
when it is built (its ``filter_data``): labels in range, videos present and
readable (probed through a cache), spectrograms and teacher features that
load, are finite and have one size; and what becomes of the bad samples (an
error that lists every problem, or a report of the dropped ones)."""
import json
import logging
import os.path as osp
from collections import Counter, defaultdict
from typing import Dict, FrozenSet, List, Optional, Tuple, Union

import numpy as np
from mmaction.datasets.transforms import SampleFrames
from mmengine.dataset import Compose
from mmengine.dist import barrier, get_dist_info
from mmengine.logging import print_log

from mmxkd.fileio import load_spectrogram, load_teacher_feature, save_json
from . import video_probe

#: The problems of the bad samples, by index in the data list.
Problems = Dict[int, List[str]]


def label_set(label: Union[int, List[int]]) -> FrozenSet[int]:
    """The labels of a sample: one (``int``) or several (tagging)."""
    return frozenset(label if isinstance(label, list) else [label])


def check_labels(data_list: List[dict],
                 num_classes: Optional[int]) -> Problems:
    """The samples with a label outside ``[0, num_classes)``.

    Args:
        data_list (list[dict]): The samples, with ``label``, ``relpath``
            and, when the dataset has videos, ``filename``.
        num_classes (int, optional): Classes of the dataset; None: no
            label is checked.

    Returns:
        dict[int, list[str]]: The problems by sample index, a defaultdict
        that the other checks add to.
    """
    problems: Problems = defaultdict(list)
    for index, info in enumerate(data_list):
        for label in sorted(label_set(info['label'])):
            if num_classes is not None and not 0 <= label < num_classes:
                name = info.get('filename', info['relpath'])
                problems[index].append(f'label {label} of {name}'
                                       f' is outside [0, {num_classes})')
    return problems


def check_videos(data_list: List[dict], problems: Problems,
                 probe: Optional[dict], pipeline: Compose) -> None:
    """Add the problems of the videos (``filename``): missing or empty,
    and, when ``probe`` is given, unreadable, without a video stream,
    truncated or shorter than the clip of the pipeline's training
    ``SampleFrames``.

    Args:
        data_list (list[dict]): The samples.
        problems (dict[int, list[str]]): What the problems are added to.
        probe (dict, optional): :func:`probe_on_rank_zero`'s
            ``cache_file`` and ``workers``; None: no video is opened.
        pipeline (Compose): The dataset's pipeline.
    """
    present = []
    for index, info in enumerate(data_list):
        if 'filename' not in info:
            continue
        path = info['filename']
        if not osp.isfile(path) or osp.getsize(path) == 0:
            problems[index].append(f'missing or empty video: {path}')
        else:
            present.append(index)
    if probe is None or not present:
        return
    probes = probe_on_rank_zero([data_list[i]['filename'] for i in present],
                                **probe)
    clip = clip_frames(pipeline)
    for index in present:
        path = data_list[index]['filename']
        found = probes[path]
        if 'error' in found:
            problems[index].append(f'bad video {path}: {found["error"]}')
        elif clip is not None and found['frames'] < clip[0]:
            problems[index].append(
                f'video {path} has {found["frames"]} frames, shorter '
                f'than the training clip of the pipeline ({clip[1]})')


def probe_on_rank_zero(paths: List[str], cache_file: str,
                       workers: int) -> Dict[str, dict]:
    """:func:`~mmxkd.datasets.video_probe.probe_videos` through its cache;
    in a distributed run rank 0 probes and writes the cache while the other
    ranks wait, then read it.

    Args:
        paths (list[str]): The videos.
        cache_file (str): The probe cache.
        workers (int): Processes that probe.

    Returns:
        dict[str, dict]: Each video's probe, by path.
    """
    rank, world_size = get_dist_info()
    probes = None
    if world_size > 1:
        try:
            if rank == 0:
                probes = video_probe.probe_videos(paths, cache_file, workers)
        finally:
            barrier()
    if probes is None:
        probes = video_probe.probe_videos(paths, cache_file, workers)
    return probes


def clip_frames(pipeline: Compose) -> Optional[Tuple[int, str]]:
    """The frames a training clip spans, ``clip_len * frame_interval`` of
    the pipeline's first ``SampleFrames`` with ``test_mode=False``, and how
    they are computed; None without one."""
    for transform in pipeline.transforms:
        if isinstance(transform, SampleFrames) and not transform.test_mode:
            frames = transform.clip_len * transform.frame_interval
            return frames, (f'SampleFrames clip_len {transform.clip_len} x '
                            f'frame_interval {transform.frame_interval} = '
                            f'{frames} frames')
    return None


def check_arrays(
        data_list: List[dict], problems: Problems,
        teacher_feat_dim: Optional[int]
) -> Tuple[Optional[int], Dict[str, float]]:
    """Add the problems of the teacher features (``teacher_feat_path``)
    and spectrograms (``audio_path``): unreadable or not finite (the
    loaders' errors), all-zero (teacher features), or of another size than
    ``teacher_feat_dim`` (else the most common length, the first file's on
    a tie) or the most common number of mel bins.

    Args:
        data_list (list[dict]): The samples.
        problems (dict[int, list[str]]): What the problems are added to.
        teacher_feat_dim (int, optional): The expected feature length.

    Returns:
        tuple: The teacher feature length (``teacher_feat_dim``, else the
        most common one; unchanged without teacher features), and each
        loaded teacher feature's L2 norm by path.
    """
    norms: Dict[str, float] = {}
    for key, loader, what, expected in (
            ('teacher_feat_path', load_teacher_feature, 'length',
             teacher_feat_dim),
            ('audio_path', load_spectrogram, 'mel bins', None)):
        sizes: Dict[int, int] = {}
        for index, info in enumerate(data_list):
            if key not in info:
                continue
            try:
                array = loader(info[key])
            except (OSError, ValueError) as err:
                problems[index].append(str(err))
                continue
            sizes[index] = array.shape[-1]
            if key == 'teacher_feat_path':
                norms[info[key]] = float(np.linalg.norm(array))
                if not array.any():
                    problems[index].append(
                        f'all-zero teacher feature: {info[key]}')
        if expected is None and sizes:
            expected = Counter(sizes.values()).most_common(1)[0][0]
        if key == 'teacher_feat_path' and sizes:
            teacher_feat_dim = expected
        for index, size in sizes.items():
            if size != expected:
                problems[index].append(f'{data_list[index][key]} has '
                                       f'{what} {size}, expected '
                                       f'{expected}')
    return teacher_feat_dim, norms


def drop_bad_samples(data_list: List[dict], problems: Problems,
                     ann_file: str, skip_bad_samples: bool,
                     report: str) -> List[dict]:
    """Raise an error that lists the problems, or, with
    ``skip_bad_samples``, drop the bad samples and write a report.

    Args:
        data_list (list[dict]): The samples.
        problems (dict[int, list[str]]): Their problems by index.
        ann_file (str): The annotation file, named in the messages.
        skip_bad_samples (bool): Drop the bad samples instead of raising
            (unless every sample is bad).
        report (str): Where the report of the dropped samples goes.

    Returns:
        list[dict]: The good samples, in their order.

    Raises:
        ValueError: Some sample is bad and ``skip_bad_samples`` is False,
            or every sample is bad; the message lists the problems.
    """
    if not problems:
        return data_list
    listed = [p for index in sorted(problems) for p in problems[index]]
    if not skip_bad_samples or len(problems) == len(data_list):
        shown = '\n  '.join(listed[:20])
        more = (f'\n  ... and {len(listed) - 20} more'
                if len(listed) > 20 else '')
        hint = ('every sample is bad' if skip_bad_samples else
                'fix or remove these samples, or drop them with '
                'skip_bad_samples=True')
        raise ValueError(
            f'{len(listed)} problem(s) in {len(problems)} of the '
            f'{len(data_list)} samples of {ann_file} ({hint}):\n'
            f'  {shown}{more}')
    content = dict(
        ann_file=ann_file,
        num_samples=len(data_list),
        dropped=[
            dict(relpath=data_list[index]['relpath'], problems=problems[index])
            for index in sorted(problems)
        ])
    try:
        save_json(report, content, indent=1)
        where = f'the report is {report}'
    except OSError as err:  # a read-only dataset folder
        where = (f'the report could not be written to {report} '
                 f'({err.strerror}; give the dataset a writable '
                 f'cache_dir), so here it is:\n'
                 f'{json.dumps(content, indent=1)}')
    print_log(
        f'skip_bad_samples: dropped {len(problems)} of the '
        f'{len(data_list)} samples of {ann_file} (first: '
        f'{listed[0]}); {where}',
        logger='current',
        level=logging.WARNING)
    return [
        info for index, info in enumerate(data_list) if index not in problems
    ]
