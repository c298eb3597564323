# Copyright (c) mmxkd contributors. All rights reserved.
"""CrossModalDistiller as the frame of the baselines and ablations: which
inputs each loss gets, what learns from it, and config errors."""
import pytest
import torch
import torch.nn.functional as F

from mmxkd.registry import MODELS
from .test_cross_modal_distiller import (NUM_CLASSES, STUDENT_DIM,
                                         TEACHER_DIM, grads, make_batch,
                                         max_abs, student_cfg)

TEACHER = dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM)
MNF = dict(
    type='ModalityNoiseFilter',
    teacher_dim=TEACHER_DIM,
    student_dim=STUDENT_DIM,
    num_classes=NUM_CLASSES)
BASELINES = dict(
    loss_fitnet=dict(
        type='FitNetLoss', student_dim=STUDENT_DIM, teacher_dim=TEACHER_DIM),
    loss_cos=dict(
        type='CosineAlignmentLoss',
        student_dim=STUDENT_DIM,
        teacher_dim=TEACHER_DIM),
    loss_crd=dict(
        type='CRDLoss',
        student_dim=STUDENT_DIM,
        teacher_dim=TEACHER_DIM,
        num_samples=10,
        num_negatives=6))


def build(teacher=TEACHER, neck=None, distill_losses=None):
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='CrossModalDistiller',
            student=student_cfg(),
            teacher=teacher,
            neck=neck,
            distill_losses=distill_losses))


def batch_with_indices():
    inputs, samples = make_batch()
    for i, sample in enumerate(samples):
        sample.set_field(i + 3, 'sample_idx')
    return inputs, samples


def student_only_losses(model, inputs, samples):
    return {
        k: v
        for k, v in model.student.loss(inputs, samples).items()
        if k.startswith('loss')
    }


def test_student_alone_is_the_plain_recognizer():
    model = build(teacher=None).train()
    inputs, samples = make_batch(teacher=False)
    losses = model(inputs, samples, mode='loss')
    assert {k for k in losses if k.startswith('loss')} == {'loss_cls_v'}
    torch.testing.assert_close(
        losses['loss_cls_v'],
        student_only_losses(model, inputs, samples)['loss_cls'])


@pytest.mark.parametrize('name', sorted(BASELINES))
def test_feature_baselines_get_v_and_raw_teacher(name):
    model = build(distill_losses={name: BASELINES[name]}).train()
    inputs, samples = batch_with_indices()
    losses = model(inputs, samples, mode='loss')
    assert {k for k in losses if k.startswith('loss')} == {'loss_cls_v', name}

    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    v = feats.mean(dim=(2, 3, 4))
    a = model.teacher(inputs, samples)
    loss_module = model.distill_losses[name]
    if name == 'loss_crd':
        # the memory banks moved in the distiller's call: compare the
        # value through the gradient path instead
        assert torch.isfinite(losses[name])
    else:
        torch.testing.assert_close(losses[name], loss_module(v, a))
    model.zero_grad()
    losses[name].backward()
    assert max_abs(grads(model.student.backbone)) > 0
    assert max_abs(grads(loss_module)) > 0


def test_crd_needs_sample_indices():
    model = build(distill_losses=dict(loss_crd=BASELINES['loss_crd'])).train()
    with pytest.raises(KeyError, match='sample_idx'):
        model(*make_batch(), mode='loss')


def test_kd_uses_the_teacher_classifier(tmp_path):
    torch.manual_seed(1)
    weight = torch.randn(NUM_CLASSES, TEACHER_DIM)
    bias = torch.randn(NUM_CLASSES)
    ckpt = tmp_path / 'teacher.pth'
    torch.save(
        dict(state_dict={
            'cls_head.fc_cls.weight': weight,
            'cls_head.fc_cls.bias': bias
        }), ckpt)
    teacher = dict(
        TEACHER, classifier=dict(checkpoint=str(ckpt), num_classes=NUM_CLASSES))
    model = build(
        teacher=teacher,
        distill_losses=dict(loss_kd=dict(type='KDLoss',
                                         temperature=2.0))).train()
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')

    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    student_logits = model.student.cls_head(feats)
    teacher_logits = model.teacher(inputs, samples) @ weight.t() + bias
    expected = 4.0 * F.kl_div(
        F.log_softmax(student_logits / 2, 1),
        F.softmax(teacher_logits / 2, 1),
        reduction='batchmean')
    torch.testing.assert_close(losses['loss_kd'], expected)
    assert not any(p.requires_grad for p in model.teacher.parameters())


def test_kd_without_teacher_classifier_raises():
    model = build(distill_losses=dict(loss_kd=dict(type='KDLoss'))).train()
    with pytest.raises(ValueError, match='model.teacher.classifier'):
        model(*make_batch(), mode='loss')


def test_csc_without_mnf_uses_projected_raw_teacher():
    model = build(
        neck=dict(
            type='TeacherProjector',
            teacher_dim=TEACHER_DIM,
            student_dim=STUDENT_DIM),
        distill_losses=dict(loss_csc=dict(type='CSCLoss'))).train()
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    v = feats.mean(dim=(2, 3, 4))
    z = model.distill_neck.projector(model.teacher(inputs, samples))
    labels = torch.tensor([s.gt_label.item() for s in samples])
    cos = F.normalize(v, dim=1) @ F.normalize(z, dim=1).t()
    torch.testing.assert_close(losses['loss_csc'],
                               model.distill_losses['loss_csc'](v, z, labels,
                                                                cos))


def test_multi_hot_labels_reach_csc_as_tags():
    model = build(
        neck=MNF,
        distill_losses=dict(
            loss_csc=dict(type='CSCLoss'),
            loss_cls_n=dict(type='mmaction.BCELossWithLogits'))).train()
    model.student.cls_head.multi_class = True
    model.student.cls_head.loss_cls = MODELS.build(
        dict(type='mmaction.BCELossWithLogits'))
    inputs, samples = make_batch()
    tags = torch.tensor([[1., 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]])
    for sample, tag in zip(samples, tags):
        sample.set_gt_label(tag)
    losses = model(inputs, samples, mode='loss')
    assert torch.isfinite(losses['loss_csc'])
    assert torch.isfinite(losses['loss_cls_n'])


@pytest.mark.parametrize('kwargs, match', [
    (dict(teacher=None, distill_losses=dict(loss_cos=BASELINES['loss_cos'])),
     'needs model.teacher'),
    (dict(distill_losses=dict(loss_csc=dict(type='CSCLoss'))),
     'loss_csc needs model.neck'),
    (dict(neck=MNF, distill_losses=dict(loss_cos=BASELINES['loss_cos'])),
     'no loss uses it'),
    (dict(
        neck=dict(
            type='TeacherProjector',
            teacher_dim=TEACHER_DIM,
            student_dim=STUDENT_DIM),
        distill_losses=dict(
            loss_csc=dict(type='CSCLoss'),
            loss_tri=dict(type='CrossModalTripletLoss'))), 'ModalityNoiseFilter'),
])
def test_config_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build(**kwargs)
