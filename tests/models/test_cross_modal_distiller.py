# Copyright (c) mmxkd contributors. All rights reserved.
"""CrossModalDistiller: losses, gradient routing, modes, to_tokens and the
PrecomputedTeacher."""
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.structures import ActionDataSample

import mmxkd
from mmxkd.models.utils import to_tokens
from mmxkd.registry import MODELS

mmxkd.register_all_modules()

NUM_CLASSES = 3
TEACHER_DIM = 16
STUDENT_DIM = 8  # channels of the tiny backbone's last stage
LABELS = (0, 1, 1, 2)
CLIP = (3, 4, 32, 32)  # C, T, H, W

ALL_LOSSES = dict(
    loss_csc=dict(type='CSCLoss'),
    loss_cls_n=dict(type='mmaction.CrossEntropyLoss'),
    loss_gate=dict(type='GateSparsityLoss'),
    loss_tri=dict(type='CrossModalTripletLoss'))
MNF_ONLY = ('loss_cls_n', 'loss_tri', 'loss_gate')


@MODELS.register_module(name='_TestBNTeacher', force=True)
class _TestBNTeacher(nn.Module):
    """A teacher with parameters and BN buffers, to check the freezing."""

    def __init__(self, feat_dim: int) -> None:
        super().__init__()
        self.fc = nn.Linear(feat_dim, feat_dim)
        self.bn = nn.BatchNorm1d(feat_dim)

    def forward(self, inputs, data_samples):
        feats = torch.stack([
            torch.as_tensor(s.teacher_feat, dtype=torch.float32)
            for s in data_samples
        ])
        return self.bn(self.fc(feats))


def student_cfg():
    # A 2-stage ResNet3d with 4/8 channels: (N, 3, 4, 32, 32) ->
    # (N, 8, 2, 4, 4), i.e. 32 tokens of 8 channels.
    return dict(
        type='Recognizer3D',
        backbone=dict(
            type='ResNet3d',
            depth=18,
            pretrained=None,
            pretrained2d=False,
            base_channels=4,
            num_stages=2,
            stage_blocks=(1, 1),
            out_indices=(1, ),
            spatial_strides=(1, 2),
            temporal_strides=(1, 1),
            dilations=(1, 1),
            conv1_kernel=(1, 3, 3),
            pool1_stride_t=1,
            inflate=(0, 0)),
        cls_head=dict(
            type='I3DHead',
            num_classes=NUM_CLASSES,
            in_channels=STUDENT_DIM,
            dropout_ratio=0.0,  # deterministic loss_cls_v
            average_clips='prob'),
        data_preprocessor=dict(
            type='ActionDataPreprocessor', format_shape='NCTHW'))


def build_distiller(distill_losses=None, teacher=None, seed=0):
    torch.manual_seed(seed)
    return MODELS.build(
        dict(
            type='CrossModalDistiller',
            student=student_cfg(),
            teacher=teacher
            or dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM),
            neck=dict(
                type='ModalityNoiseFilter',
                teacher_dim=TEACHER_DIM,
                student_dim=STUDENT_DIM,
                num_classes=NUM_CLASSES),
            distill_losses=ALL_LOSSES
            if distill_losses is None else distill_losses))


def make_batch(labels=LABELS, num_clips=1, seed=0, teacher=True):
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.RandomState(seed)
    inputs = torch.randn((len(labels), num_clips) + CLIP, generator=gen)
    samples = []
    for i, label in enumerate(labels):
        sample = ActionDataSample().set_gt_label(label)
        sample.set_metainfo(dict(filename=f'clip_{i}.mp4'))
        if teacher:
            sample.set_field(
                rng.rand(TEACHER_DIM).astype('float32'), 'teacher_feat')
        samples.append(sample)
    return inputs, samples


def distill_terms(losses):
    """The 'loss*' terms other than the student's own loss_cls_v."""
    return {
        k: v
        for k, v in losses.items() if k.startswith('loss') and k != 'loss_cls_v'
    }


def unrouted_losses(model, inputs, samples):
    """The distillation losses computed from METHOD.md, without routing."""
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    tokens = feats.flatten(2).transpose(1, 2)  # (N, T*H*W, C)
    v = feats.mean(dim=(2, 3, 4))
    a = model.teacher(inputs, samples)
    labels = torch.tensor([s.gt_label.item() for s in samples])
    mnf = model.distill_neck(a, tokens)
    out = dict(
        loss_cls_n=F.cross_entropy(mnf['logits'], labels),
        loss_tri=(F.cosine_similarity(v, mnf['teacher']) -
                  F.cosine_similarity(v, mnf['filtered_teacher']) +
                  0.2).clamp(min=0).mean(),
        loss_gate=0.001 * sum(
            w.abs().sum(1).mean() for w in model.distill_neck.gate_weights))
    if 'loss_csc' in model.distill_losses:
        cos = F.normalize(v, dim=1) @ F.normalize(
            mnf['filtered_teacher'], dim=1).t()
        out['loss_csc'] = model.distill_losses['loss_csc'](v,
                                                           mnf['calibrated'],
                                                           labels, cos)
    return out


def grads(module):
    return {n: p.grad for n, p in module.named_parameters()}


def max_abs(grad_dict):
    return max((g.abs().max().item()
                for g in grad_dict.values() if g is not None),
               default=0.0)


# --------------------------------------------------------------------------
# losses


def test_loss_keys_and_values():
    model = build_distiller().train()
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    loss_keys = {k for k in losses if k.startswith('loss')}
    assert loss_keys == {
        'loss_cls_v', 'loss_cls_n', 'loss_gate', 'loss_tri', 'loss_csc'
    }
    for key in loss_keys:
        assert losses[key].dim() == 0, key
        assert torch.isfinite(losses[key]), key
        assert losses[key].requires_grad, key
    # the student's own accuracies stay logged
    assert 'top1_acc' in losses

    # values: the student loss as Recognizer3D computes it, the others from
    # the formulas of METHOD.md (no routing involved in the value)
    reference = unrouted_losses(model, inputs, samples)
    for key, value in reference.items():
        torch.testing.assert_close(losses[key], value, msg=key)
    student_loss = model.student.loss(inputs, samples)['loss_cls']
    torch.testing.assert_close(losses['loss_cls_v'], student_loss)


def test_unknown_distill_loss_key_raises():
    with pytest.raises(ValueError, match='loss_unknown'):
        build_distiller(dict(loss_unknown=dict(type='CSCLoss')))


def test_subset_of_losses_is_an_ablation():
    model = build_distiller(dict(loss_csc=dict(type='CSCLoss'))).train()
    losses = model(*make_batch(), mode='loss')
    assert {k for k in losses if k.startswith('loss')} == {
        'loss_cls_v', 'loss_csc'
    }


# --------------------------------------------------------------------------
# gradient routing


@pytest.mark.parametrize('name', MNF_ONLY)
def test_mnf_only_losses_do_not_reach_the_student(name):
    model = build_distiller({name: ALL_LOSSES[name]}).train()
    inputs, samples = make_batch()

    losses = model(inputs, samples, mode='loss')
    terms = distill_terms(losses)
    assert set(terms) == {name}
    model.zero_grad(set_to_none=True)
    sum(terms.values()).backward()
    routed_student, routed_neck = grads(model.student), grads(
        model.distill_neck)

    model.zero_grad(set_to_none=True)
    reference = unrouted_losses(model, inputs, samples)[name]
    reference.backward()
    ref_student, ref_neck = grads(model.student), grads(model.distill_neck)

    # the routed value is the unrouted one
    torch.testing.assert_close(terms[name], reference, rtol=1e-6, atol=1e-7)

    # student: nothing (up to float32 rounding of the cancellation), while
    # the same loss without routing does send a gradient there
    if name == 'loss_gate':
        assert all(g is None for g in routed_student.values())
    else:
        assert max_abs(ref_student) > 1e-3
        assert max_abs(routed_student) <= 1e-6 * max(max_abs(ref_student), 1)
    # the student's classifier is never involved
    assert routed_student['cls_head.fc_cls.weight'] is None

    # MNF: some nonzero, and exactly the unrouted gradients
    assert max_abs(routed_neck) > 0
    for pname, g in routed_neck.items():
        ref = ref_neck[pname]
        if ref is None or not ref.any():
            assert g is None or not g.any(), pname
        else:
            assert g is not None, pname
            torch.testing.assert_close(g, ref, rtol=1e-5, atol=1e-8,
                                       msg=pname)


def test_csc_alone_reaches_student_and_mnf():
    model = build_distiller(dict(loss_csc=dict(type='CSCLoss'))).train()
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    model.zero_grad(set_to_none=True)
    losses['loss_csc'].backward()
    backbone = grads(model.student.backbone)
    neck = grads(model.distill_neck)
    assert all(g is not None and g.abs().sum() > 0
               for g in backbone.values())
    assert neck['gate.0.weight'].abs().sum() > 0
    assert neck['attention.in_proj_weight'].abs().sum() > 0
    assert neck['calibration.0.weight'].abs().sum() > 0
    # CSC uses z, not the MNF logits, nor the student's head
    assert neck['classifier.weight'] is None
    assert grads(model.student.cls_head)['fc_cls.weight'] is None


def test_all_losses_route_like_the_two_optimizers():
    """Student grads of every distillation term together == those of
    loss_csc alone; MNF grads == those of the unrouted sum."""
    model = build_distiller().train()
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    terms = distill_terms(losses)
    assert set(terms) == {'loss_csc', 'loss_cls_n', 'loss_gate', 'loss_tri'}
    student_params = [p for _, p in model.student.backbone.named_parameters()]
    csc_only = torch.autograd.grad(
        terms['loss_csc'], student_params, retain_graph=True)
    model.zero_grad(set_to_none=True)
    sum(terms.values()).backward()
    for p, g in zip(student_params, csc_only):
        torch.testing.assert_close(p.grad, g, rtol=1e-4, atol=1e-7)
    routed_neck = grads(model.distill_neck)

    model.zero_grad(set_to_none=True)
    sum(unrouted_losses(model, inputs, samples).values()).backward()
    for pname, ref in grads(model.distill_neck).items():
        assert ref is not None and ref.abs().sum() > 0, pname
        torch.testing.assert_close(routed_neck[pname], ref, rtol=1e-5,
                                   atol=1e-8, msg=pname)


def test_student_loss_reaches_student_head():
    model = build_distiller(dict(loss_gate=ALL_LOSSES['loss_gate'])).train()
    losses = model(*make_batch(), mode='loss')
    losses['loss_cls_v'].backward()
    assert model.student.cls_head.fc_cls.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.distill_neck.parameters())


# --------------------------------------------------------------------------
# teacher


def test_teacher_is_frozen_and_stays_in_eval_mode():
    model = build_distiller(
        teacher=dict(type='_TestBNTeacher', feat_dim=TEACHER_DIM))
    model.train()
    assert model.training and model.student.training
    assert model.distill_neck.training
    assert not model.teacher.training
    assert not model.teacher.bn.training
    assert all(not p.requires_grad for p in model.teacher.parameters())

    running_mean = model.teacher.bn.running_mean.clone()
    losses = model(*make_batch(), mode='loss')
    torch.testing.assert_close(model.teacher.bn.running_mean, running_mean,
                               rtol=0, atol=0)
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    assert all(p.grad is None for p in model.teacher.parameters())

    model.train(False)
    assert not model.teacher.training and not model.student.training
    model.train()
    assert not model.teacher.training


def test_precomputed_teacher_stays_in_eval_mode():
    model = build_distiller().train()
    assert not model.teacher.training


def test_one_clip_per_sample_in_training_message():
    model = build_distiller().train()
    with pytest.raises(ValueError, match='one clip'):
        model(*make_batch(num_clips=2), mode='loss')


# --------------------------------------------------------------------------
# predict / tensor


def test_predict_runs_the_student_alone():
    model = build_distiller().eval()
    inputs, samples = make_batch(labels=(0, 2), num_clips=2, teacher=False)
    with torch.no_grad():
        results = model(inputs, samples, mode='predict')
        backbone_feats = model.student.backbone(inputs.view((-1, ) + CLIP))
        clip_scores = model.student.cls_head(backbone_feats).softmax(dim=1)
    expected = clip_scores.view(2, 2, NUM_CLASSES).mean(dim=1)
    assert len(results) == 2
    for result, score in zip(results, expected):
        assert isinstance(result, ActionDataSample)
        assert tuple(result.pred_score.shape) == (NUM_CLASSES, )
        torch.testing.assert_close(result.pred_score.sum(), torch.tensor(1.0))
        torch.testing.assert_close(result.pred_score, score)
    assert [r.gt_label.item() for r in results] == [0, 2]
    # the clip-averaged pooled feature, for retrieval
    pooled = backbone_feats.mean(dim=(2, 3, 4)).view(2, 2, STUDENT_DIM)
    for result, feat in zip(results, pooled.mean(dim=1)):
        torch.testing.assert_close(result.pred_feat, feat)


def test_tensor_mode_returns_student_features():
    model = build_distiller().eval()
    inputs, _ = make_batch(labels=(0, 2), num_clips=2)
    with torch.no_grad():
        feats = model(inputs, mode='tensor')
        expected = model.student.backbone(inputs.view((-1, ) + CLIP))
    assert tuple(feats.shape) == (4, STUDENT_DIM, 2, 4, 4)
    torch.testing.assert_close(feats, expected)


def test_invalid_mode_raises():
    model = build_distiller()
    with pytest.raises(RuntimeError, match='Invalid mode'):
        model(*make_batch(), mode='features')


# --------------------------------------------------------------------------
# to_tokens


def test_to_tokens_5d():
    feats = torch.randn(2, 8, 3, 4, 5)
    tokens = to_tokens(feats)
    assert tuple(tokens.shape) == (2, 60, 8)
    torch.testing.assert_close(tokens.mean(1), feats.mean(dim=(2, 3, 4)))
    # token l = (t, h, w) in row-major order
    torch.testing.assert_close(tokens[1, 2 * 20 + 3 * 5 + 4], feats[1, :, 2,
                                                                     3, 4])


def test_to_tokens_4d_with_num_segs():
    feats = torch.randn(6, 8, 3, 4)  # N=2 clips x 3 segments
    tokens = to_tokens(feats, num_segs=3)
    assert tuple(tokens.shape) == (2, 36, 8)
    expected_pool = feats.view(2, 3, 8, 3, 4).mean(dim=(1, 3, 4))
    torch.testing.assert_close(tokens.mean(1), expected_pool)
    # token (segment s, position k) of clip n
    torch.testing.assert_close(tokens[1, 2 * 12 + 7], feats[1 * 3 + 2, :, 1,
                                                            3])


def test_to_tokens_4d_without_num_segs():
    feats = torch.randn(2, 8, 3, 4)
    tokens = to_tokens(feats)
    assert tuple(tokens.shape) == (2, 12, 8)
    torch.testing.assert_close(tokens.mean(1), feats.mean(dim=(2, 3)))


def test_to_tokens_3d_2d_and_tuples():
    tokens = torch.randn(2, 5, 8)
    assert to_tokens(tokens) is tokens
    vectors = torch.randn(2, 8)
    out = to_tokens(vectors)
    assert tuple(out.shape) == (2, 1, 8)
    torch.testing.assert_close(out.mean(1), vectors)
    stages = (torch.randn(2, 4, 2, 2, 2), torch.randn(2, 8, 1, 2, 2))
    torch.testing.assert_close(
        to_tokens(stages), stages[1].flatten(2).transpose(1, 2))
    with pytest.raises(ValueError, match='unsupported'):
        to_tokens(torch.randn(1, 2, 3, 4, 5, 6))


# --------------------------------------------------------------------------
# PrecomputedTeacher


def build_teacher():
    return MODELS.build(dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM))


def test_precomputed_teacher_stacks_features():
    inputs, samples = make_batch()
    feats = build_teacher()(inputs, samples)
    assert feats.dtype == torch.float32
    assert tuple(feats.shape) == (len(LABELS), TEACHER_DIM)
    for row, sample in zip(feats, samples):
        torch.testing.assert_close(row, torch.from_numpy(sample.teacher_feat))


def test_precomputed_teacher_wrong_size_raises():
    inputs, samples = make_batch()
    samples[2].set_field(np.zeros(TEACHER_DIM + 1, 'float32'), 'teacher_feat')
    with pytest.raises(ValueError, match='feat_dim') as err:
        build_teacher()(inputs, samples)
    assert 'clip_2.mp4' in str(err.value)


def test_precomputed_teacher_missing_field_raises():
    inputs, samples = make_batch()
    del samples[1].teacher_feat
    with pytest.raises(KeyError, match='teacher_feat') as err:
        build_teacher()(inputs, samples)
    assert 'clip_1.mp4' in str(err.value)


def test_precomputed_teacher_needs_samples():
    with pytest.raises(ValueError, match='needs data samples'):
        build_teacher()(torch.zeros(1), [])
