# Copyright (c) mmxkd contributors. All rights reserved.
"""What one config's train step runs on: its model, optim wrapper and
one fixed batch (the training set's first clips, or random inputs of the
pipeline's clip shape)."""
import contextlib
import random
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.registry import DefaultScope

from mmxkd.registry import DATASETS, MODELS
from .probes import RssProbe


@dataclass
class StepCase:
    """One config, built for step timing.

    Attributes:
        name: The config's path, as given.
        cfg: The merged config.
        model: Its model, in train mode on the benchmark device.
        optim_wrapper: Its optim wrapper.
        batch: The fixed batch (``pseudo_collate`` of packed samples).
        build_rss_growth: RSS growth in bytes while building the model, the
            optim wrapper and the batch (None without ``/proc``).
        device: Where the model trains.
        amp_dtype: The autocast dtype of the step; None: no autocast.
    """
    name: str
    cfg: Config
    model: BaseModel
    optim_wrapper: OptimWrapper
    batch: dict
    build_rss_growth: Optional[int]
    device: str = 'cpu'
    amp_dtype: Optional[torch.dtype] = None

    def step(self) -> None:
        """One training iteration on the fixed batch (forward, backward and
        optimizer step under autocast when ``amp_dtype`` is set)."""
        autocast = contextlib.nullcontext() if self.amp_dtype is None else \
            torch.autocast(torch.device(self.device).type, self.amp_dtype)
        with autocast:
            self.model.train_step(self.batch, self.optim_wrapper)


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """The config at ``path`` with ``cfg_options`` merged."""
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def synthetic_input_shape(pipeline: Sequence[dict]) -> Tuple[int, ...]:
    """The shape of one packed RGB sample of a train pipeline.

    Read from ``SampleFrames`` (``clip_len``, ``num_clips``), the last
    transform that fixes the spatial size (``Resize`` with
    ``keep_ratio=False``, ``CenterCrop``/``RandomCrop``) and ``FormatShape``
    (``NCTHW`` or ``NCHW``).

    Raises:
        ValueError: If the pipeline lacks one of them.
    """
    types = {t['type']: t for t in pipeline}
    size = None
    for t in pipeline:
        if t['type'] == 'Resize' and not t.get('keep_ratio', True):
            width, height = t['scale']
            size = (height, width)
        elif t['type'] in ('CenterCrop', 'RandomCrop'):
            crop = t.get('crop_size', t.get('size'))
            size = (crop, crop) if isinstance(crop, int) else tuple(crop[::-1])
    fmt = types.get('FormatShape', {}).get('input_format')
    if 'SampleFrames' not in types or size is None or fmt not in ('NCTHW',
                                                                  'NCHW'):
        raise ValueError(
            'cannot read the clip shape from the train pipeline (needs '
            'SampleFrames, a fixed-size Resize or crop and FormatShape '
            f'NCTHW/NCHW; got {[t["type"] for t in pipeline]}): pass '
            '--input-shape')
    frames = types['SampleFrames']
    clip_len, num_clips = frames['clip_len'], frames.get('num_clips', 1)
    if fmt == 'NCTHW':
        return (num_clips, 3, clip_len) + size
    return (num_clips * clip_len, 3) + size


def synthetic_batch(model: BaseModel,
                    cfg: Config,
                    batch_size: int,
                    input_shape: Optional[Tuple[int, ...]] = None,
                    seed: int = 0) -> dict:
    """A batch of random clips (uint8, as the pipeline packs them) with
    random labels, ``sample_idx`` 0..N-1 and, for every teacher that reads
    a precomputed feature (``key`` and ``feat_dim``), a random feature.

    Args:
        model: The built model (its teachers say which features to add).
        cfg: Its config (number of classes, train pipeline).
        batch_size: Clips in the batch.
        input_shape: One sample's shape; defaults to
            :func:`synthetic_input_shape` of the train pipeline.
        seed: Seed of the random contents.
    """
    dataset_cfg = cfg.train_dataloader.dataset
    shape = input_shape or synthetic_input_shape(dataset_cfg.pipeline)
    num_classes = dataset_cfg.get('num_classes') or \
        model.student.cls_head.num_classes
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    teachers = [
        t for t in getattr(model, 'teachers', {}).values()
        if hasattr(t, 'key') and hasattr(t, 'feat_dim')
    ]
    inputs, samples = [], []
    for i in range(batch_size):
        inputs.append(
            torch.randint(0, 256, shape, generator=gen, dtype=torch.uint8))
        sample = ActionDataSample(metainfo=dict(img_shape=shape[-2:]))
        sample.set_gt_label(int(rng.integers(num_classes)))
        sample.set_field(i, 'sample_idx')
        for teacher in teachers:
            sample.set_field(
                rng.random(teacher.feat_dim).astype(np.float32), teacher.key)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def dataset_batch(cfg: Config,
                  batch_size: int,
                  seed: int = 0) -> Tuple[dict, int]:
    """The first ``batch_size`` clips of the config's training set through
    its train pipeline, with every random generator seeded with ``seed``
    first (configs sharing augmentations draw the same crops), and the
    training set's size."""
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    batch = pseudo_collate(
        [dataset[i % len(dataset)] for i in range(batch_size)])
    return batch, len(dataset)


def build_case(name: str,
               cfg: Config,
               batch_size: int,
               synthetic: bool = False,
               input_shape: Optional[Tuple[int, ...]] = None,
               device: str = 'cpu',
               seed: int = 0) -> StepCase:
    """Build a config's model (seeded, train mode, on ``device``), optim
    wrapper and fixed batch, measuring the RSS growth; heads with per-sample
    state are sized to the training set (to the batch when synthetic)."""
    probe = RssProbe()
    before = probe.rss()
    with DefaultScope.overwrite_default_scope('mmxkd'):
        torch.manual_seed(seed)
        model = MODELS.build(cfg.model).to(device).train()
        optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
        if synthetic:
            batch = synthetic_batch(model, cfg, batch_size, input_shape, seed)
            train_size = batch_size
        else:
            batch, train_size = dataset_batch(cfg, batch_size, seed)
    if hasattr(model, 'set_train_size'):
        model.set_train_size(train_size)
    after = probe.rss()
    growth = None if before is None or after is None else after - before
    return StepCase(name, cfg, model, optim_wrapper, batch, growth, device)
