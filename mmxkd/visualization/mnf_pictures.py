# Copyright (c) mmxkd contributors. All rights reserved.
"""MNF pictures from a config and a checkpoint (``tools/visualizations/
vis_mnf.py``), and the dataset they are drawn from (also used by
:class:`~mmxkd.engine.MNFVisualizationHook`)."""
import os.path as osp
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmengine.config import Config, ConfigDict
from mmengine.dataset import BaseDataset
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint
from mmengine.utils import ProgressBar

from mmxkd.registry import DATASETS, MODELS
from .mnf import (clip_name, clip_stem, collect_mnf_clips, draw_mnf_clip,
                  find_mnf_head)

SPLITS = ('train', 'val', 'test')


def _types(pipeline: Sequence[dict]) -> List[str]:
    return [str(step.get('type', '')).split('.')[-1] for step in pipeline]


def mnf_pipeline(cfg: Config) -> List[dict]:
    """A deterministic pipeline that also loads the teacher's inputs.

    The validation pipeline (no random crop or flip) up to its
    ``PackActionInputs``, then the steps of the training pipeline after its
    last ``FormatShape`` (``LoadTeacherFeature``, or the spectrogram window
    of a live teacher) with its ``PackActionInputs`` (which packs them).

    Args:
        cfg: A distillation config.

    Returns:
        The pipeline.

    Raises:
        ValueError: The validation pipeline does not end with
            ``PackActionInputs`` or the training pipeline has no
            ``FormatShape``.
    """
    val = list(cfg.val_dataloader.dataset.pipeline)
    train = list(cfg.train_dataloader.dataset.pipeline)
    if not val or _types(val)[-1] != 'PackActionInputs':
        raise ValueError('MNF pictures need a validation pipeline that ends '
                         f'with PackActionInputs, got {_types(val)}')
    train_types = _types(train)
    if 'FormatShape' not in train_types:
        raise ValueError('MNF pictures need a video training pipeline with '
                         f'FormatShape, got {train_types}')
    last_format = len(train_types) - 1 - train_types[::-1].index('FormatShape')
    return val[:-1] + train[last_format + 1:]


def build_mnf_dataset(cfg: Config, split: str = 'train') -> BaseDataset:
    """The clips to draw: a split's samples through :func:`mnf_pipeline`.

    Args:
        cfg: A distillation config.
        split: Whose dataloader's dataset (annotation file, data prefixes)
            to use, one of :data:`SPLITS`. The teacher's inputs must exist
            for it: for ``val`` / ``test`` with precomputed teacher features,
            set ``<split>_dataloader.dataset.data_prefix.teacher``.

    Returns:
        The dataset (built in the ``mmxkd`` scope).

    Raises:
        ValueError: ``split`` is not one of :data:`SPLITS`, or the pipeline
            loads teacher features and the split has no
            ``data_prefix.teacher``.
    """
    if split not in SPLITS:
        raise ValueError(f'split must be one of {SPLITS}, got {split!r}')
    dataset_cfg = ConfigDict(cfg[f'{split}_dataloader'].dataset.copy())
    dataset_cfg.pipeline = mnf_pipeline(cfg)
    if 'LoadTeacherFeature' in _types(dataset_cfg.pipeline) and \
            'teacher' not in dataset_cfg.get('data_prefix', {}):
        raise ValueError(
            f'the MNF needs the teacher features of the {split} clips: set '
            f'{split}_dataloader.dataset.data_prefix.teacher')
    with DefaultScope.overwrite_default_scope('mmxkd'):
        return DATASETS.build(dataset_cfg)


def select_clips(dataset: BaseDataset,
                 clips: Union[int, Sequence[str]]) -> List[int]:
    """Indices of the clips to draw.

    Args:
        dataset: The samples (named by
            :func:`~mmxkd.visualization.mnf.clip_name`).
        clips: How many of the first samples, or clip names: a relative path
            (``train/clip_00003.mp4``), a file name (``clip_00003.mp4``) or a
            stem (``clip_00003``).

    Returns:
        The indices, in the order asked.

    Raises:
        ValueError: ``clips`` is not positive, or a name matches no clip or
            several.
    """
    if isinstance(clips, int):
        if clips < 1:
            raise ValueError(f'clips must be >= 1, got {clips}')
        return list(range(min(clips, len(dataset))))
    keys = {}
    for i in range(len(dataset)):
        name = clip_name(dataset, i)
        for key in {name, osp.basename(name), clip_stem(name)}:
            keys.setdefault(key, []).append(i)
    indices = []
    for name in clips:
        found = keys.get(name, [])
        if len(found) != 1:
            raise ValueError(f'clip "{name}" matches {len(found)} clips of '
                             'the dataset; give its relative path')
        indices.append(found[0])
    return indices


def build_distiller(cfg: Config, checkpoint: str,
                    device: Optional[str] = None) -> nn.Module:
    """The config's model with a checkpoint's weights, in eval mode.

    Args:
        cfg: The config.
        checkpoint: The checkpoint (mmengine's ``load_checkpoint``).
        device: Default: ``cuda`` when available, else ``cpu``.

    Returns:
        The model.
    """
    with DefaultScope.overwrite_default_scope('mmxkd'):
        model = MODELS.build(cfg.model)
    load_checkpoint(model, checkpoint, map_location='cpu')
    device = device or ('cuda' if torch.cuda.is_available() else 'cpu')
    return model.to(device).eval()


def write_mnf_pictures(model: nn.Module,
                       dataset: BaseDataset,
                       indices: Sequence[int],
                       out_dir: str,
                       head: Optional[str] = None,
                       progress: bool = False,
                       dpi: int = 100,
                       batch_size: int = 8) -> List[str]:
    """Draw clips of a dataset: ``<out_dir>/<clip stem>.png`` each.

    Args:
        model: A :class:`CrossModalDistiller` with an :class:`MNFCSCHead`.
        dataset: The samples (:func:`build_mnf_dataset`).
        indices: Which samples (:func:`select_clips`).
        out_dir: Where to write.
        head: The head's name (see :func:`find_mnf_head`).
        progress: Show a progress bar.
        dpi: Dots per inch of the pictures.
        batch_size: Clips per forward pass.

    Returns:
        The PNG files, in the order of ``indices``.

    Raises:
        ValueError: Two clips share a stem.
    """
    find_mnf_head(model, head)  # fail before running anything
    names = [clip_name(dataset, i) for i in indices]
    paths = [osp.join(out_dir, clip_stem(name) + '.png') for name in names]
    if len(set(paths)) != len(paths):
        raise ValueError('clips with the same file name: ' + ', '.join(names))
    bar = ProgressBar(len(indices)) if progress else None
    for start in range(0, len(indices), batch_size):
        batch = indices[start:start + batch_size]
        clips = collect_mnf_clips(model, dataset, batch, head, batch_size)
        for clip, path in zip(clips, paths[start:start + batch_size]):
            draw_mnf_clip(clip, path, dpi=dpi)
            if bar is not None:
                bar.update()
    if bar is not None:
        print()
    return paths


def visualize_mnf(cfg: Config,
                  checkpoint: str,
                  out_dir: str,
                  clips: Union[int, Sequence[str]] = 4,
                  split: str = 'train',
                  head: Optional[str] = None,
                  dpi: int = 100) -> List[str]:
    """MNF pictures of a trained distiller (``tools/visualizations/
    vis_mnf.py``).

    Args:
        cfg: The distillation config (overrides merged).
        checkpoint: Its checkpoint.
        out_dir: Where to write ``<clip stem>.png``.
        clips: How many of the first clips, or their names (see
            :func:`select_clips`).
        split: Whose clips (see :func:`build_mnf_dataset`).
        head: The :class:`MNFCSCHead`'s name; default the first.
        dpi: Dots per inch of the pictures.

    Returns:
        The PNG files.
    """
    dataset = build_mnf_dataset(cfg, split)
    indices = select_clips(dataset, clips)
    model = build_distiller(cfg, checkpoint)
    return write_mnf_pictures(
        model,
        dataset,
        indices,
        out_dir,
        head,
        progress=len(indices) > 8,
        dpi=dpi)
