# Copyright (c) mmxkd contributors. All rights reserved.
"""A training batch of one clip where a head's BatchNorm needs two: the
distiller's error, and LastBatchSizeHook's check when training starts."""
from types import SimpleNamespace

import pytest
import torch
from mmengine.dataset import DefaultSampler
from torch.utils.data import DataLoader

from mmxkd.engine import LastBatchSizeHook
from .._student import make_batch
from ..heads._build import build_distiller

MESSAGE = (r'holds 1 clip, but the BatchNorm layers '
           r'model\.distill_heads\.mnf_csc\.mnf\.gate\.1, '
           r'model\.distill_heads\.mnf_csc\.mnf\.calibration\.1 need at least '
           r'2 clips per process in training: set train_dataloader\.batch_size'
           r' >= 2 and train_dataloader\.drop_last=True')


def mnf_csc():
    return build_distiller(dict(mnf_csc=dict(type='MNFCSCHead')))


def test_a_batch_of_one_names_batch_size_and_drop_last():
    with pytest.raises(ValueError, match=MESSAGE):
        mnf_csc()(*make_batch(labels=(1, )), mode='loss')


def test_one_clip_is_fine_without_training_batch_norm():
    # a head without BatchNorm (CSC on the raw teacher feature)
    losses = build_distiller(dict(csc=dict(type='CSCHead')))(
        *make_batch(labels=(1, )), mode='loss')
    assert torch.isfinite(losses['loss_csc'])
    # the MNF with its BatchNorm layers in eval mode
    model = mnf_csc()
    model.distill_heads.eval()
    losses = model(*make_batch(labels=(1, )), mode='loss')
    assert torch.isfinite(losses['loss_csc'])


def runner(num_clips: int, batch_size: int, drop_last: bool,
           model=None) -> SimpleNamespace:
    dataset = list(range(num_clips))
    return SimpleNamespace(
        model=model or mnf_csc(),
        train_dataloader=DataLoader(
            dataset,
            batch_size=batch_size,
            sampler=DefaultSampler(dataset, shuffle=False),
            drop_last=drop_last))


@pytest.mark.parametrize('num_clips, batch_size, drop_last', [
    (9, 4, False),  # batches of 4, 4, 1
    (8, 1, True),
])
def test_hook_finds_a_single_clip_batch_before_training(
        num_clips, batch_size, drop_last):
    with pytest.raises(
            ValueError,
            match=(rf'the smallest training batch per process \({num_clips} '
                   rf'of the {num_clips} clips on each of 1 processes, '
                   rf'batch_size={batch_size}, drop_last={drop_last}\) '
                   rf'{MESSAGE}')):
        LastBatchSizeHook().before_train(
            runner(num_clips, batch_size, drop_last))


@pytest.mark.parametrize('num_clips, batch_size, drop_last', [
    (9, 4, True),  # the single clip is dropped
    (10, 4, False),  # batches of 4, 4, 2
    (8, 4, False),
])
def test_hook_passes_batches_of_two_or_more(num_clips, batch_size,
                                            drop_last):
    LastBatchSizeHook().before_train(runner(num_clips, batch_size, drop_last))


def test_hook_ignores_models_without_batch_norm_heads():
    model = build_distiller(dict(csc=dict(type='CSCHead')))
    LastBatchSizeHook().before_train(runner(9, 4, False, model))


@pytest.mark.parametrize('distiller', [True, False])
def test_hook_refuses_an_epoch_without_a_batch(distiller):
    model = None if distiller else build_distiller(
        dict(csc=dict(type='CSCHead')))
    with pytest.raises(
            ValueError,
            match=(r'an epoch has no training batch: 3 of the 3 training '
                   r'clips on each of 1 processes, train_dataloader\.'
                   r'batch_size=4 and drop_last=True')):
        LastBatchSizeHook().before_train(runner(3, 4, True, model))
