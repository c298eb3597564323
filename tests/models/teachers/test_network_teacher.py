# Copyright (c) mmxkd contributors. All rights reserved.
"""The live teacher: same loss as precomputed features, and its cache."""
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope

from mmxkd.registry import DATASETS, MODELS
from ...conftest import ROOT, TEACHER_CFG, audio_options, run_tool

pytestmark = pytest.mark.integration

LIVE_CFG = osp.join(
    ROOT, 'configs/mnf_csc/'
    'mnf-csc_r2plus1d-tiny_tsn-audio-r18-live_1xb8-20e_synthetic-av.py')


def _live_cfg(data, checkpoint):
    cfg = Config.fromfile(LIVE_CFG)
    cfg.model.teacher.checkpoint = checkpoint
    dataset = cfg.train_dataloader.dataset
    dataset.ann_file = f'{data}/train.txt'
    dataset.data_prefix = dict(video=f'{data}/videos',
                               audio=f'{data}/audio_logmel')
    return cfg


def _batch(cfg, num=6):
    with DefaultScope.overwrite_default_scope('mmxkd'):
        dataset = DATASETS.build(cfg.train_dataloader.dataset)
    torch.manual_seed(0)
    return pseudo_collate([dataset[i] for i in range(num)])


def test_live_equals_precomputed(synthetic_data, trained_teacher, tmp_path):
    feats = str(tmp_path / 'feats')
    run_tool([
        sys.executable, 'tools/extract_teacher_features.py', TEACHER_CFG,
        trained_teacher, '--out-dir', feats, '--cfg-options'
    ] + audio_options(synthetic_data))
    cfg = _live_cfg(synthetic_data, trained_teacher)
    batch = _batch(cfg)
    for sample in batch['data_samples']:  # the same clips, precomputed
        stem = osp.splitext(sample.sound_relpath)[0]
        sample.set_field(
            np.load(osp.join(feats, stem + '.npy')), 'teacher_feat')

    with DefaultScope.overwrite_default_scope('mmxkd'):
        torch.manual_seed(1)
        live = MODELS.build(cfg.model)
        precomputed_cfg = cfg.model.copy()
        precomputed_cfg.teacher = dict(type='PrecomputedTeacher',
                                       feat_dim=512)
        precomputed = MODELS.build(precomputed_cfg)
    precomputed.load_state_dict(
        {k: v for k, v in live.state_dict().items()
         if not k.startswith('teachers.')})
    losses = []
    for model in (live, precomputed):
        model.train()
        data = model.data_preprocessor(batch, True)
        torch.manual_seed(2)  # same dropout masks
        losses.append(model(**data, mode='loss'))
    assert set(losses[0]) == set(losses[1])
    for key in losses[0]:
        torch.testing.assert_close(losses[0][key], losses[1][key],
                                   rtol=1e-5, atol=1e-6)


def test_cache_skips_the_teacher_forward(synthetic_data, trained_teacher,
                                         tmp_path):
    cfg = _live_cfg(synthetic_data, trained_teacher)
    batch = _batch(cfg, num=4)
    inputs = torch.zeros(4, 1)
    cache_dir = str(tmp_path / 'cache')
    with DefaultScope.overwrite_default_scope('mmxkd'):
        teacher = MODELS.build(
            dict(cfg.model.teacher, cache_dir=cache_dir))
    backbone_calls = []
    teacher.model.backbone.register_forward_hook(
        lambda *a: backbone_calls.append(1))
    first = teacher(inputs, batch['data_samples'])
    assert first.shape == (4, 512) and len(backbone_calls) == 1
    second = teacher(inputs, batch['data_samples'])
    assert len(backbone_calls) == 1  # served from memory
    torch.testing.assert_close(first, second)
    view = batch['data_samples'][0].teacher_audio_view
    stem = osp.splitext(batch['data_samples'][0].sound_relpath)[0]
    assert osp.isfile(osp.join(cache_dir, f'{stem}@{view}.npy'))

    with DefaultScope.overwrite_default_scope('mmxkd'):
        fresh = MODELS.build(dict(cfg.model.teacher, cache_dir=cache_dir))
    fresh.model.backbone.register_forward_hook(
        lambda *a: backbone_calls.append(1))
    torch.testing.assert_close(fresh(inputs, batch['data_samples']), first)
    assert len(backbone_calls) == 1  # served from disk
