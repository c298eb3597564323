# Copyright (c) mmxkd contributors. All rights reserved.
"""MNFCSCHead: the terms' values from docs/en/method.md, their routing
(exact, by construction), BatchNorm statistics moved once, statistics,
ablations."""
import math

import pytest
import torch
import torch.nn.functional as F

from .._student import LABELS, make_batch
from ._build import build_distiller, grads

TERMS = ('loss_csc', 'loss_cls_n', 'loss_gate', 'loss_tri')
MNF_ONLY = ('loss_cls_n', 'loss_gate', 'loss_tri')


def build(**head):
    return build_distiller(dict(mnf_csc=dict(type='MNFCSCHead', **head)))


def method_terms(model, inputs, samples):
    """The method's terms (docs/en/method.md) from the MNF's outputs,
    without any routing."""
    mnf = model.distill_heads['mnf_csc'].mnf
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    V = feats.flatten(2).transpose(1, 2)
    v = V.mean(1)
    a = model.teachers['teacher'](inputs, samples)
    y = torch.tensor([s.gt_label.item() for s in samples])
    out = mnf(a, V)
    vn = F.normalize(v, dim=1)
    tau = (vn @ F.normalize(out['filtered_teacher'], dim=1).t()).clamp(
        min=0).detach() + 0.07
    log_p = F.log_softmax(vn @ F.normalize(out['calibrated'], dim=1).t() /
                          tau, dim=1)
    m = (y.view(-1, 1) == y.view(1, -1)).float()
    return dict(
        loss_csc=(-(log_p * m).sum(1) / m.sum(1)).mean(),
        loss_cls_n=F.cross_entropy(out['logits'], y),
        loss_gate=0.001 * sum(w.abs().sum(1).mean() for w in mnf.gate_weights),
        loss_tri=(F.cosine_similarity(v, out['teacher']) -
                  F.cosine_similarity(v, out['filtered_teacher']) +
                  0.2).clamp(min=0).mean())


def csc_towards(model, inputs, samples, target: str, keys=lambda V: V):
    """The method's L_csc with ``target`` (an MNF output) in place of z,
    the MNF reading ``keys(V)``."""
    mnf = model.distill_heads['mnf_csc'].mnf
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    V = feats.flatten(2).transpose(1, 2)
    vn = F.normalize(V.mean(1), dim=1)
    out = mnf(model.teachers['teacher'](inputs, samples), keys(V))
    y = torch.tensor([s.gt_label.item() for s in samples])
    tau = (vn @ F.normalize(out['filtered_teacher'], dim=1).t()).clamp(
        min=0).detach() + 0.07
    log_p = F.log_softmax(vn @ F.normalize(out[target], dim=1).t() / tau, 1)
    m = (y.view(-1, 1) == y.view(1, -1)).float()
    return (-(log_p * m).sum(1) / m.sum(1)).mean()


def test_filtered_teacher_as_a_csc_target_adds_its_term():
    model = build(
        csc_targets=('calibrated', 'filtered_teacher'),
        loss_cls_n=None,
        loss_tri=None)
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    expected = csc_towards(model, inputs, samples, 'calibrated') + \
        csc_towards(model, inputs, samples, 'filtered_teacher')
    torch.testing.assert_close(losses['loss_csc'], expected)


def test_unknown_csc_target_is_refused_at_build():
    with pytest.raises(ValueError, match="csc_targets.*'teacher'"):
        build(csc_targets=('teacher', ))


def test_terms_equal_the_method_formulas():
    model = build()
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    reference = method_terms(model, inputs, samples)
    for key in TERMS:
        assert losses[key].dim() == 0 and losses[key].requires_grad, key
        torch.testing.assert_close(losses[key], reference[key], msg=key)


@pytest.mark.parametrize('name', MNF_ONLY)
def test_mnf_only_terms_send_nothing_to_the_student(name):
    model = build(**{t: None for t in TERMS if t != name})
    inputs, samples = make_batch()
    losses = model(inputs, samples, mode='loss')
    losses[name].backward()
    # not a rounding-level cancellation: no gradient reaches the student
    assert all(g is None or not g.any() for g in grads(model.student).values())
    # and the MNF gets exactly the gradient of the unrouted term
    routed = grads(model.distill_heads)
    model.zero_grad(set_to_none=True)
    method_terms(model, inputs, samples)[name].backward()
    for pname, ref in grads(model.distill_heads).items():
        got = routed[pname]
        if ref is None or not ref.any():
            assert got is None or not got.any(), pname
        else:
            torch.testing.assert_close(got, ref, msg=pname)
    assert any(g is not None and g.any() for g in routed.values())


def test_csc_reaches_the_student_and_the_mnf():
    model = build(loss_cls_n=None, loss_gate=None, loss_tri=None)
    losses = model(*make_batch(), mode='loss')
    losses['loss_csc'].backward()
    assert all(g is not None and g.abs().sum() > 0
               for g in grads(model.student.backbone).values())
    mnf = grads(model.distill_heads['mnf_csc'].mnf)
    for pname in ('gate.0.weight', 'attention.in_proj_weight',
                  'calibration.0.weight'):
        assert mnf[pname].abs().sum() > 0, pname
    assert mnf['classifier.weight'] is None
    assert model.student.cls_head.fc_cls.weight.grad is None


def test_csc_not_through_tokens_trains_the_student_through_v_only():
    """``csc_through_tokens=False``: the student's gradient is that of CSC
    with z computed over ``V.detach()``; the MNF still learns from CSC."""
    only_csc = dict(loss_cls_n=None, loss_gate=None, loss_tri=None)
    model = build(csc_through_tokens=False, **only_csc)
    inputs, samples = make_batch()
    model(inputs, samples, mode='loss')['loss_csc'].backward()
    routed = grads(model)
    model.zero_grad(set_to_none=True)
    csc_towards(model, inputs, samples, 'calibrated',
                keys=lambda V: V.detach()).backward()
    for pname, ref in grads(model).items():
        if ref is None:
            assert routed[pname] is None or not routed[pname].any(), pname
        else:
            torch.testing.assert_close(routed[pname], ref, msg=pname)
    model.zero_grad(set_to_none=True)
    csc_towards(model, inputs, samples, 'calibrated').backward()
    through = grads(model.student.backbone)
    assert any(not torch.allclose(routed['student.backbone.' + k], g)
               for k, g in through.items())
    mnf = grads(model.distill_heads['mnf_csc'].mnf)
    assert mnf['attention.in_proj_weight'].abs().sum() > 0


@pytest.mark.parametrize('head', [{}, dict(loss_csc=None)])
def test_batchnorm_statistics_move_once_per_step(head):
    model = build(**head)
    mnf = model.distill_heads['mnf_csc'].mnf
    model(*make_batch(), mode='loss')
    for bn in (mnf.gate[1], mnf.calibration[1]):
        assert bn.num_batches_tracked.item() == 1


def test_statistics_are_logged_and_in_range():
    model = build()
    losses = model(*make_batch(), mode='loss')
    for key in ('mnf_gate_mean', 'mnf_gate_std', 'mnf_gate_min',
                'mnf_gate_max', 'mnf_attn_entropy',
                'csc_tau_mean', 'csc_tau_min', 'csc_tau_max'):
        assert key in losses and not losses[key].requires_grad, key
    assert 0 < losses['mnf_gate_min'] <= losses['mnf_gate_mean'] \
        <= losses['mnf_gate_max'] < 1
    assert 0 < losses['mnf_attn_entropy'] <= 1 + 1e-6
    assert 0.07 <= losses['csc_tau_min'] <= losses['csc_tau_mean'] \
        <= losses['csc_tau_max'] <= 1.07 + 1e-6
    parsed, _ = model.parse_losses(losses)
    torch.testing.assert_close(
        parsed, sum(losses[k] for k in ('loss_cls_v', ) + TERMS))


def test_attention_entropy_is_normalised_by_ln_l():
    model = build()
    mnf = model.distill_heads['mnf_csc'].mnf
    seen = {}
    mnf.register_forward_hook(lambda m, i, o: seen.update(o))
    losses = model(*make_batch(), mode='loss')
    attention = seen['attention']
    entropy = -(attention * attention.log()).sum(1) / math.log(
        attention.size(1))
    torch.testing.assert_close(losses['mnf_attn_entropy'], entropy.mean())


def test_fixed_temperature_and_ablations():
    model = build(loss_csc=dict(type='CSCLoss', adaptive_temperature=False),
                  loss_tri=None)
    losses = model(*make_batch(), mode='loss')
    assert 'loss_tri' not in losses
    assert losses['csc_tau_min'] == losses['csc_tau_max'] == pytest.approx(
        0.07)
    with pytest.raises(ValueError, match='every loss term is None'):
        build(**{t: None for t in TERMS})


def test_multi_hot_labels_use_jaccard_positives_and_bce():
    model = build_distiller(
        dict(
            mnf_csc=dict(
                type='MNFCSCHead',
                loss_cls_n=dict(type='mmaction.BCELossWithLogits'))))
    inputs, samples = make_batch()
    tags = torch.tensor([[1, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 1]]).float()
    for sample, tag in zip(samples, tags):
        sample.gt_label = tag
    _, head_inputs = model.student_step(inputs, samples)
    head_inputs.teacher_feats, _ = model.run_teachers(inputs, samples)
    assert tuple(head_inputs.labels.shape) == (len(LABELS), 3)
    losses = model.distill_heads['mnf_csc'](head_inputs)
    assert torch.isfinite(losses['loss_csc'])
    torch.testing.assert_close(
        losses['loss_cls_n'],
        F.binary_cross_entropy_with_logits(
            model.distill_heads['mnf_csc'].mnf(
                head_inputs.teacher_feats['teacher'],
                head_inputs.tokens)['logits'], tags))
