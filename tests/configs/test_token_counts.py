# Copyright (c) mmxkd contributors. All rights reserved.
"""How many tokens each GRID student's feature map gives the MNF, built
from its config and run on a zero batch as the distiller runs it: the MNF
only acts with several tokens (docs/en/method.md, "Measured facts")."""
import glob
import os.path as osp
import re
from typing import Tuple

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from mmxkd.models.utils import to_tokens
from mmxkd.registry import MODELS
from ..conftest import ROOT
from .test_comparison_configs import (build, check_sizes_and_learning_rates,
                                      check_step, make_batch,
                                      save_teacher_checkpoint)

TOKENS = 'r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py'
STUDENT = osp.join(ROOT, 'configs/student_only', f'student_{TOKENS}')
MNF_CSC = osp.join(ROOT, 'configs/mnf_csc',
                   f'mnf-csc-faithful_{TOKENS.replace("_", "_tsn-audio-r18_", 1)}')
TINY = osp.join(ROOT, 'configs/student_only',
                'student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py')
# the `make demo` configs on the synthetic scene clips (also 8x32x32)
SCENES = 'r2plus1d-tiny-tokens_1xb8-20e_synthetic-av-scenes-25pct.py'
SCENE_CONFIGS = [
    osp.join(ROOT, 'configs/student_only', f'student_{SCENES}'),
    osp.join(ROOT, 'configs/mnf_csc', 'mnf-csc-faithful_' +
             SCENES.replace('_', '_tsn-audio-r18_', 1)),
]


def feature_map(config: str, clip: Tuple[int, int, int]) -> torch.Tensor:
    """The student's feature map (N, C, T, H, W) for one zero clip of
    (T, H, W) frames, through ``extract_feat`` as in training."""
    cfg = Config.fromfile(config)
    with DefaultScope.overwrite_default_scope('mmxkd'):
        model = MODELS.build(cfg.model)
    model.eval()
    # (N, num_clips, C, T, H, W), as the data preprocessor passes it
    inputs = torch.zeros((1, 1, 3) + clip)
    with torch.no_grad():
        feats, _ = model.student.extract_feat(inputs, test_mode=True)
    return feats[-1] if isinstance(feats, (tuple, list)) else feats


@pytest.mark.parametrize(
    'config', [STUDENT, MNF_CSC] + SCENE_CONFIGS, ids=osp.basename)
def test_token_student_keeps_tokens_at_8x32(config):
    feats = feature_map(config, (8, 32, 32))
    assert tuple(feats.shape) == (1, 128, 4, 2, 2)
    num_tokens = feats.shape[2] * feats.shape[3] * feats.shape[4]
    assert num_tokens >= 8
    # what the MNF is given: one token per (t, h, w)
    assert to_tokens(feats).shape == (1, num_tokens, 128)


def test_token_student_at_16x48():
    assert tuple(feature_map(STUDENT, (16, 48, 48)).shape) == (1, 128, 8, 3, 3)


def test_tiny_student_has_one_token_at_8x32():
    """The reason for the token student: the tiny one pools 8x32x32 to a
    single token, over which the MNF's attention has nothing to choose."""
    assert tuple(feature_map(TINY, (8, 32, 32)).shape) == (1, 128, 1, 1, 1)


WORD_ALL = sorted(glob.glob(osp.join(ROOT, 'configs/*/*_grid-word-all-8x32.py')))


def test_the_all_words_comparison_has_every_method():
    methods = {osp.basename(c).split('_')[0] for c in WORD_ALL}
    assert methods == {
        'student', 'mnf-csc-faithful', 'mnf-csc-csc0.1', 'mnf-csc-fixed-tau',
        'mnf-csc-teacher-target', 'mnf-csc-z-target', 'kd', 'fitnet',
        'cosine', 'crd'
    }


@pytest.fixture(scope='module')
def teacher_checkpoint(tmp_path_factory) -> str:
    """The 51-way all-words teacher's stand-in."""
    return save_teacher_checkpoint(tmp_path_factory.mktemp('teacher'), 51)


@pytest.mark.parametrize('config', WORD_ALL, ids=osp.basename)
def test_all_words_configs_train_a_step(config, teacher_checkpoint):
    """Every leaf of the all-words comparison takes a 51-way training step
    on 8x32x32 clips, over the student's 16 tokens."""
    method = osp.basename(config).split('_')[0]
    options = {}
    if method == 'kd':
        options['model.teacher.classifier.checkpoint'] = teacher_checkpoint
    cfg, model, optim_wrapper = build(config, **options)
    if method == 'crd':  # the runner's TrainSetSizeHook does this
        model.set_train_size(10)
    check_sizes_and_learning_rates(model, optim_wrapper, cfg)
    assert model.student.cls_head.num_classes == 51
    if method.startswith('mnf-csc'):
        assert model.distill_heads['mnf_csc'].csc_through_tokens == (
            method != 'mnf-csc-z-target')
    batch = make_batch(4, (1, 3, 8, 32, 32), 512, [0, 7, 7, 50])
    check_step(model, optim_wrapper, batch,
               'mnf-csc' if method.startswith('mnf-csc') else method)


SCARCE = sorted(
    glob.glob(osp.join(ROOT, 'configs/*/*_grid-word-all-*pct*-8x32.py')))


def rows_at(percent: int) -> set:
    return {
        osp.basename(c).split('_')[0]
        for c in SCARCE if f'-{percent}pct' in c
    }


def test_the_label_scarce_comparisons_have_their_rows():
    assert rows_at(25) == {
        'student', 'mnf-csc-faithful', 'mnf-csc-csc0.1',
        'mnf-csc-teacher-labels', 'kd', 'selective-kd',
        'selective-kd-small-loss', 'selective-kd-contradiction',
        'label-agreement-kd', 'wsld-kd',
        'confident-kd', 'gce-kd'
    }
    assert rows_at(50) == {'student', 'mnf-csc-teacher-labels', 'kd'}


PAIRS = sorted(
    glob.glob(osp.join(ROOT, 'configs/*/*_grid-word-all-pairs-8x32.py')))


@pytest.mark.parametrize('config', PAIRS, ids=osp.basename)
def test_pairs_configs_sample_pairs_and_train_a_step(config):
    """The same-word-pair leaves: the sampler's batch is the loader's, in
    pairs; the partners variant leaves each clip's own z out of CSC."""
    cfg, model, optim_wrapper = build(config)
    loader = cfg.train_dataloader
    assert loader.sampler == dict(
        type='ClassBalancedSampler', batch_size=loader.batch_size,
        clips_per_class=2)
    method = osp.basename(config).split('_')[0]
    if method.startswith('mnf-csc'):
        assert cfg.model.heads.mnf_csc.loss_csc.get('own_clip', 'positive') \
            == ('excluded' if method == 'mnf-csc-partners' else 'positive')
    batch = make_batch(4, (1, 3, 8, 32, 32), 512, [0, 0, 7, 7])
    check_step(model, optim_wrapper, batch,
               'mnf-csc' if method.startswith('mnf-csc') else method)


@pytest.mark.parametrize('config', SCARCE, ids=osp.basename)
def test_label_scarce_configs_train_a_step(config, teacher_checkpoint):
    """Every label-scarce leaf keeps the fraction of the labels that its
    name says and takes a step on a batch whose unlabelled clips
    carry label -1 and ``labelled=False``, as AudioVisualDataset gives
    them; the teacher-labels variant labels those with the teacher."""
    method = osp.basename(config).split('_')[0]
    cfg, model, optim_wrapper = build(
        config, **{'model.teacher.classifier.checkpoint': teacher_checkpoint}
        if method != 'student' else {})
    dataset = cfg.train_dataloader.dataset
    altered = re.search(r'-(noise|mix)(\d+)-', config)
    if altered:  # the irrelevant-sound wrapper names its kind and share
        assert dataset.type == 'IrrelevantSoundDataset'
        assert (dataset.kind, dataset.ratio) == (altered.group(1),
                                                 int(altered.group(2)) / 100)
        dataset = dataset.dataset
    percent = re.search(r'-(\d+)pct', config).group(1)
    assert dataset.labelled_ratio == int(percent) / 100
    swap = re.search(r'-swap(\d+)-', config)
    assert dataset.get('swap_sound_ratio', 0.0) == (
        int(swap.group(1)) / 100 if swap else 0.0)
    heads = cfg.model.get('heads') or {}
    if method.startswith('mnf-csc'):
        head = heads['mnf_csc']
        assert head.get('unlabelled', 'skip') == (
            'teacher' if method == 'mnf-csc-teacher-labels' else 'skip')
        assert head.loss_csc.loss_weight == (
            1.0 if method == 'mnf-csc-faithful' else 0.1)
    batch = make_batch(4, (1, 3, 8, 32, 32), 512, [0, 7, -1, -1])
    for sample, labelled in zip(batch['data_samples'],
                                (True, True, False, False)):
        sample.set_field(labelled, 'labelled')
    model.set_train_size(4)  # TrainSetSizeHook's call (per-clip trust)
    check_step(model, optim_wrapper, batch,
               'mnf-csc' if method.startswith('mnf-csc') else method)
