# Copyright (c) mmxkd contributors. All rights reserved.
"""The baseline heads: what each reads (the raw teacher feature, the
teacher's logits, sample indices) and what learns from it."""
import pytest
import torch
import torch.nn.functional as F

from .._student import LABELS, NUM_CLASSES, STUDENT_DIM, TEACHER_DIM, make_batch
from ._build import build_distiller, grads


def teacher_feats(samples):
    return torch.stack([torch.from_numpy(s.teacher_feat) for s in samples])


def pooled(model, inputs, samples):
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    return feats.mean(dim=(2, 3, 4))


@pytest.mark.parametrize('key, loss', [
    ('loss_fitnet', dict(type='FitNetLoss')),
    ('loss_cos', dict(type='CosineAlignmentLoss')),
])
def test_feature_kd_gets_v_and_the_raw_teacher(key, loss):
    model = build_distiller(
        dict(feat=dict(type='FeatureKDHead', losses={key: loss})))
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    module = model.distill_heads['feat'].losses[key]
    torch.testing.assert_close(
        losses[key],
        module(pooled(model, inputs, samples), teacher_feats(samples)))
    losses[key].backward()
    assert model.student.backbone.conv1.conv.weight.grad.abs().sum() > 0
    assert all(g is not None for g in grads(module).values())


def test_feature_kd_key_must_be_a_loss():
    with pytest.raises(ValueError, match='must contain "loss"'):
        build_distiller(
            dict(feat=dict(type='FeatureKDHead',
                           losses=dict(fit=dict(type='FitNetLoss')))))


def test_logit_kd_uses_the_teacher_classifier(tmp_path):
    weight = torch.randn(NUM_CLASSES, TEACHER_DIM)
    bias = torch.randn(NUM_CLASSES)
    checkpoint = str(tmp_path / 'teacher.pth')
    torch.save(dict(state_dict={'cls_head.fc_cls.weight': weight,
                                'cls_head.fc_cls.bias': bias}), checkpoint)
    model = build_distiller(
        dict(kd=dict(type='LogitKDHead',
                     loss_kd=dict(type='KDLoss', temperature=2.0))),
        teacher=dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM,
                     classifier=dict(checkpoint=checkpoint)))
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    teacher_logits = teacher_feats(samples) @ weight.t() + bias
    student_logits = model.student.cls_head(
        model.student.extract_feat(inputs, data_samples=samples)[0])
    expected = 4 * F.kl_div(
        F.log_softmax(student_logits / 2, 1),
        F.log_softmax(teacher_logits / 2, 1),
        log_target=True,
        reduction='batchmean')
    torch.testing.assert_close(losses['loss_kd'], expected)
    assert not any(p.requires_grad
                   for p in model.teachers['teacher'].parameters())


def test_crd_needs_sample_indices_and_sizes_from_the_training_set():
    model = build_distiller(
        dict(crd=dict(type='CRDHead',
                      loss_crd=dict(type='CRDLoss', num_negatives=6))))
    with pytest.raises(RuntimeError, match='no size'):
        model(*make_batch(sample_idx=True), mode='loss')
    model.set_train_size(10)
    with pytest.raises(KeyError, match='sample_idx'):
        model(*make_batch(), mode='loss')
    losses = model(*make_batch(sample_idx=True), mode='loss')
    assert torch.isfinite(losses['loss_crd'])
    crd = model.distill_heads['crd'].loss_crd
    assert crd.embed_student.in_features == STUDENT_DIM
    assert crd.embed_teacher.in_features == TEACHER_DIM


def test_csc_head_uses_the_projected_raw_teacher():
    model = build_distiller(dict(csc=dict(type='CSCHead')))
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    head = model.distill_heads['csc']
    v = pooled(model, inputs, samples)
    z = head.projector(teacher_feats(samples))
    cos = F.normalize(v, dim=1) @ F.normalize(z, dim=1).t()
    torch.testing.assert_close(
        losses['loss_csc'],
        head.loss_csc(v, z, torch.tensor(LABELS), cos))
    losses['loss_csc'].backward()
    assert head.projector.weight.grad.abs().sum() > 0
    assert model.student.backbone.conv1.conv.weight.grad.abs().sum() > 0
