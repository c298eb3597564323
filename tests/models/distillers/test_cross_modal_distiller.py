# Copyright (c) mmxkd contributors. All rights reserved.
"""CrossModalDistiller, the frame: student alone, heads summed under their
keys, sizes handed to heads, teachers frozen, several teachers, modes and
config errors."""
from typing import Dict

import pytest
import torch
import torch.nn as nn
from mmaction.structures import ActionDataSample

import mmxkd
from mmxkd.models.heads import BaseDistillHead, DistillInputs
from mmxkd.registry import MODELS
from .._student import (CLIP, LABELS, NUM_CLASSES, STUDENT_DIM, TEACHER_DIM,
                        make_batch, student_cfg)

mmxkd.register_all_modules()


@MODELS.register_module(name='_TestBNTeacher', force=True)
class _TestBNTeacher(nn.Module):
    """A teacher with parameters and BN buffers, to check the freezing."""

    def __init__(self, feat_dim: int, scale: float = 1.0) -> None:
        super().__init__()
        self.feat_dim = feat_dim
        self.scale = scale
        self.fc = nn.Linear(feat_dim, feat_dim)
        self.bn = nn.BatchNorm1d(feat_dim)

    def forward(self, inputs, data_samples):
        feats = torch.stack([
            torch.as_tensor(s.teacher_feat, dtype=torch.float32)
            for s in data_samples
        ])
        return self.scale * self.bn(self.fc(feats))


@MODELS.register_module(name='_RecordingHead', force=True)
class _RecordingHead(BaseDistillHead):
    """Returns ``loss_<key>`` = mean of its teacher's feature and keeps the
    inputs it was given."""

    def __init__(self, key: str = 'rec', **kwargs) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.seen = None
        self.train_size = None

    def set_train_size(self, num_samples: int) -> None:
        self.train_size = num_samples

    def forward(self, inputs: DistillInputs) -> Dict[str, torch.Tensor]:
        self.seen = inputs
        return {
            f'loss_{self.key}': inputs.teacher_feats[self.teacher].mean() +
            0 * inputs.pooled.sum(),
            f'{self.key}_stat': inputs.pooled.detach().mean()
        }


def build(**kwargs) -> nn.Module:
    torch.manual_seed(0)
    cfg = dict(
        type='CrossModalDistiller',
        student=student_cfg(),
        teacher=dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM),
        heads=dict(rec=dict(type='_RecordingHead')))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_student_alone_is_the_plain_recognizer():
    model = build(teacher=None, heads=None).train()
    inputs, samples = make_batch(teacher=False)
    torch.manual_seed(1)
    losses = model(inputs, samples, mode='loss')
    torch.manual_seed(1)
    plain = model.student.loss(inputs, samples)
    assert set(losses) == {'loss_cls_v'} | (set(plain) - {'loss_cls'})
    torch.testing.assert_close(losses['loss_cls_v'], plain['loss_cls'])
    assert len(model.teachers) == 0 and len(model.distill_heads) == 0


def test_heads_get_the_student_and_teacher_fields_and_sizes():
    model = build().train()
    inputs, samples = make_batch(sample_idx=True)
    losses = model(inputs, samples, mode='loss')
    head = model.distill_heads['rec']
    assert (head.student_dim, head.teacher_dim, head.num_classes) == (
        STUDENT_DIM, TEACHER_DIM, NUM_CLASSES)
    seen = head.seen
    assert tuple(seen.tokens.shape) == (len(LABELS), 32, STUDENT_DIM)
    torch.testing.assert_close(seen.pooled, seen.tokens.mean(1))
    assert seen.tokens.requires_grad
    assert tuple(seen.logits.shape) == (len(LABELS), NUM_CLASSES)
    assert seen.labels.tolist() == list(LABELS)
    assert seen.sample_idx.tolist() == list(range(len(LABELS)))
    a = seen.teacher_feats['teacher']
    assert not a.requires_grad
    torch.testing.assert_close(
        a, torch.stack([torch.from_numpy(s.teacher_feat) for s in samples]))
    # a head's terms under their own keys; statistics logged, not summed
    assert set(losses) >= {'loss_cls_v', 'loss_rec', 'rec_stat'}
    torch.testing.assert_close(losses['loss_rec'], a.mean())
    parsed, log_vars = model.parse_losses(losses)
    torch.testing.assert_close(parsed,
                               losses['loss_cls_v'] + losses['loss_rec'])
    assert 'rec_stat' in log_vars


def test_head_config_sizes_win_over_the_frames():
    model = build(heads=dict(rec=dict(type='_RecordingHead', student_dim=3)))
    assert model.distill_heads['rec'].student_dim == 3


def test_several_teachers_each_head_reads_its_own():
    model = build(
        teacher=None,
        teachers=dict(
            audio=dict(type='_TestBNTeacher', feat_dim=TEACHER_DIM),
            loud=dict(type='_TestBNTeacher', feat_dim=TEACHER_DIM,
                      scale=3.0)),
        heads=dict(
            a=dict(type='_RecordingHead', key='a', teacher='audio'),
            b=dict(type='_RecordingHead', key='b', teacher='loud'))).train()
    model.teachers['loud'].load_state_dict(
        model.teachers['audio'].state_dict())
    losses = model(*make_batch(), mode='loss')
    torch.testing.assert_close(losses['loss_b'], 3 * losses['loss_a'])
    assert set(model.distill_heads['a'].seen.teacher_feats) == {
        'audio', 'loud'
    }


def test_teachers_are_frozen_and_stay_in_eval_mode():
    model = build(teacher=dict(type='_TestBNTeacher', feat_dim=TEACHER_DIM))
    model.train()
    teacher = model.teachers['teacher']
    assert model.training and model.student.training
    assert model.distill_heads.training
    assert not teacher.training and not teacher.bn.training
    assert all(not p.requires_grad for p in teacher.parameters())
    running_mean = teacher.bn.running_mean.clone()
    losses = model(*make_batch(), mode='loss')
    torch.testing.assert_close(teacher.bn.running_mean, running_mean,
                               rtol=0, atol=0)
    model.parse_losses(losses)[0].backward()
    assert all(p.grad is None for p in teacher.parameters())
    model.train(False)
    model.train()
    assert not teacher.training


def test_set_train_size_reaches_every_head():
    model = build()
    model.set_train_size(123)
    assert model.distill_heads['rec'].train_size == 123


def test_one_clip_per_sample_in_training_message():
    with pytest.raises(ValueError, match='one clip'):
        build().train()(*make_batch(num_clips=2), mode='loss')


@pytest.mark.parametrize('kwargs, error, match', [
    (dict(teachers=dict(t=dict(type='PrecomputedTeacher', feat_dim=4))),
     ValueError, 'model.teacher or model.teachers'),
    (dict(heads=dict(rec=dict(type='_RecordingHead', teacher='video'))),
     ValueError, r'model.heads.rec reads teacher "video"'),
    (dict(heads=dict(rec=dict(type='KDLoss'))), TypeError,
     'model.heads.rec must be a distillation head'),
    (dict(heads=dict(kd=dict(type='LogitKDHead'))), ValueError,
     'model.teacher.classifier'),
])
def test_config_errors_at_build(kwargs, error, match):
    with pytest.raises(error, match=match):
        build(**kwargs)


def test_two_heads_returning_one_key_is_an_error():
    model = build(
        heads=dict(
            a=dict(type='_RecordingHead'), b=dict(type='_RecordingHead')))
    with pytest.raises(KeyError, match='already returns'):
        model.train()(*make_batch(), mode='loss')


def test_a_head_set_to_none_is_dropped():
    model = build(heads=dict(rec=None))
    assert len(model.distill_heads) == 0


def test_predict_runs_the_student_alone():
    model = build().eval()
    inputs, samples = make_batch(labels=(0, 2), num_clips=2, teacher=False)
    with torch.no_grad():
        results = model(inputs, samples, mode='predict')
        backbone_feats = model.student.backbone(inputs.view((-1, ) + CLIP))
        clip_scores = model.student.cls_head(backbone_feats).softmax(dim=1)
    expected = clip_scores.view(2, 2, NUM_CLASSES).mean(dim=1)
    assert len(results) == 2
    for result, score in zip(results, expected):
        assert isinstance(result, ActionDataSample)
        torch.testing.assert_close(result.pred_score, score)
    assert [r.gt_label.item() for r in results] == [0, 2]
    # the clip-averaged pooled feature, for retrieval
    pooled = backbone_feats.mean(dim=(2, 3, 4)).view(2, 2, STUDENT_DIM)
    for result, feat in zip(results, pooled.mean(dim=1)):
        torch.testing.assert_close(result.pred_feat, feat)


def test_tensor_mode_returns_student_features():
    model = build().eval()
    inputs, _ = make_batch(labels=(0, 2), num_clips=2)
    with torch.no_grad():
        feats = model(inputs, mode='tensor')
        expected = model.student.backbone(inputs.view((-1, ) + CLIP))
    assert tuple(feats.shape) == (4, STUDENT_DIM, 2, 4, 4)
    torch.testing.assert_close(feats, expected)


def test_invalid_mode_raises():
    with pytest.raises(RuntimeError, match='Invalid mode'):
        build()(*make_batch(), mode='features')
