# Copyright (c) mmxkd contributors. All rights reserved.
"""Write the frozen teacher's feature of every clip: one ``.npy`` per clip.

The feature is the teacher's pre-classifier embedding (pooled backbone
output), computed with the teacher config's test pipeline on the samples of
one of its dataloaders. ``<out_dir>/<dir>/<name>.npy`` is written for the
clip ``<dir>/<name>.<ext>``, which is where ``AudioVisualDataset`` with
``data_prefix.teacher=out_dir`` looks for it.

Runs distributed: each rank computes a shard. Writes are atomic and finished
clips are skipped, so an interrupted run resumes. At the end every feature is
checked: one length, finite values.
"""
import os.path as osp
from typing import List

import torch
from mmengine.config import Config
from mmengine.dataset import BaseDataset
from mmengine.dist import barrier, get_dist_info, init_dist, is_main_process
from mmengine.registry import DefaultScope
from mmengine.utils import ProgressBar

from mmxkd.fileio import (load_teacher_feature, remove_stale_temp_files,
                          save_npy_atomic)
from mmxkd.models import NetworkTeacher
from mmxkd.registry import DATASETS

SPLITS = ('train', 'val', 'test')


def build_dataset(cfg: Config, split: str) -> BaseDataset:
    """The samples of one split, through the test pipeline.

    Args:
        cfg: The teacher's config.
        split: Whose dataloader's dataset (annotation file, data prefixes)
            to use, one of :data:`SPLITS`.

    Returns:
        The dataset, in test mode.
    """
    dataset_cfg = cfg[f'{split}_dataloader'].dataset.copy()
    dataset_cfg.pipeline = cfg.test_dataloader.dataset.pipeline
    dataset_cfg.test_mode = True
    return DATASETS.build(dataset_cfg)


def out_path(out_dir: str, relpath: str) -> str:
    """Where the feature of a clip goes.

    Args:
        out_dir: The features' root.
        relpath: The clip's path relative to its data prefix.

    Returns:
        ``<out_dir>/<relpath without extension>.npy``.
    """
    return osp.join(out_dir, osp.splitext(relpath)[0] + '.npy')


def is_done(path: str) -> bool:
    """Whether a feature file is complete.

    Args:
        path: The feature file.

    Returns:
        True if it holds a valid teacher feature (a finite 1-D array).
    """
    try:
        load_teacher_feature(path)
    except (OSError, ValueError):
        return False
    return True


def check_outputs(paths: List[str]) -> int:
    """Check that all features exist, are finite and share one length.

    Args:
        paths: The feature files.

    Returns:
        Their length.

    Raises:
        FileNotFoundError, ValueError: A feature is missing or invalid, or
            the lengths differ.
    """
    lengths = {}
    for path in paths:
        lengths.setdefault(load_teacher_feature(path).shape[0], path)
    if len(lengths) != 1:
        raise ValueError('teacher features of different lengths: ' + ', '.join(
            f'{n} ({path})' for n, path in lengths.items()))
    return next(iter(lengths))


def extract_teacher_features(cfg: Config,
                             checkpoint: str,
                             out_dir: str,
                             split: str = 'train',
                             batch_size: int = 16,
                             launcher: str = 'none') -> None:
    """Write the teacher feature of every clip of a split, skipping those
    already written; prints progress and, at the end, the features' count
    and length.

    Args:
        cfg: The teacher's config (overrides already merged).
        checkpoint: The teacher's checkpoint.
        out_dir: Where to write (see :func:`out_path`).
        split: Whose annotation file and data prefixes to use.
        batch_size: Clips per forward pass.
        launcher: ``'none'``, or the launcher to initialise the distributed
            processes with (see :data:`~mmxkd.apis.cli.LAUNCHERS`).

    Raises:
        ValueError: The teacher gave non-finite features, or the features
            written do not share one length.
    """
    if launcher != 'none':
        init_dist(launcher, **cfg.get('env_cfg', {}).get('dist_cfg', {}))
    rank, world_size = get_dist_info()
    device = f'cuda:{torch.cuda.current_device()}' \
        if torch.cuda.is_available() else 'cpu'

    with DefaultScope.overwrite_default_scope('mmxkd'):
        dataset = build_dataset(cfg, split)
        teacher = NetworkTeacher(
            cfg.model, checkpoint, cache_in_memory=False).to(device)
    paths = [
        out_path(out_dir, dataset.get_data_info(i)['relpath'])
        for i in range(len(dataset))
    ]
    if is_main_process() and osp.isdir(out_dir):
        removed = remove_stale_temp_files(out_dir, '*.npy')
        if removed:
            print(f'removed {removed} temporary file(s) of killed runs')
    shard = list(range(rank, len(dataset), world_size))
    todo = [i for i in shard if not is_done(paths[i])]
    if is_main_process():
        print(f'{len(dataset)} clips of {split}, {world_size} '
              f'process(es); rank 0: {len(shard) - len(todo)} already done, '
              f'{len(todo)} to compute')
    progress = ProgressBar(len(todo)) if is_main_process() else None
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        inputs = [dataset[i]['inputs'] for i in batch]
        feats = teacher.embed(inputs).float().cpu()
        if not torch.isfinite(feats).all():
            bad = [paths[i] for i, f in zip(batch, feats)
                   if not torch.isfinite(f).all()]
            raise ValueError(f'non-finite teacher features for {bad}')
        for i, feat in zip(batch, feats):
            save_npy_atomic(paths[i], feat.numpy())
        if progress is not None:
            for _ in batch:
                progress.update()
    barrier()
    if is_main_process():
        if todo:
            print()
        dim = check_outputs(paths)
        print(f'{len(paths)} teacher features of length {dim} in {out_dir}')
