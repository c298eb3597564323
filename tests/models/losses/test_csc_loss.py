# Copyright (c) mmxkd contributors. All rights reserved.
"""CSCLoss against an independent loop implementation of docs/en/method.md.

docs/en/method.md: with v and z L2-normalised, ``c_ij = v_i . z_j``,
``tau_ij = max(cos(v_i, a_hat_j), 0) + t`` (adaptive) or ``t`` (fixed),
``P_ij = softmax_j(c_ij / tau_ij)``, ``M_ij = [y_i == y_j]``,
``L = mean_i(sum_j -log P_ij M_ij / sum_j M_ij)``.
"""
import math

import numpy as np
import pytest
import torch

import mmxkd
from mmxkd.registry import MODELS

mmxkd.register_all_modules()


def reference_csc(v, z, labels, t, cos=None, own_clip='positive'):
    """Plain-Python CSC loss (float64, explicit loops over i, j); with
    ``own_clip='excluded'`` j runs over the other clips and the mean over
    the anchors with a same-class partner."""
    v = np.asarray(v, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    labels = list(np.asarray(labels).tolist())
    n = len(labels)

    def unit(x):
        norm = math.sqrt(sum(e * e for e in x))
        return [e / norm for e in x]

    vn = [unit(v[i]) for i in range(n)]
    zn = [unit(z[j]) for j in range(n)]
    others = own_clip == 'excluded'
    total, anchors = 0.0, 0
    for i in range(n):
        columns = [j for j in range(n) if not (others and j == i)]
        if not any(labels[i] == labels[j] for j in columns):
            continue
        anchors += 1
        logits = []
        for j in columns:
            c_ij = sum(a * b for a, b in zip(vn[i], zn[j]))
            if cos is None:
                tau = t
            else:
                tau = max(float(cos[i][j]), 0.0) + t
            logits.append(c_ij / tau)
        top = max(logits)
        log_norm = top + math.log(sum(math.exp(x - top) for x in logits))
        num, count = 0.0, 0
        for k, j in enumerate(columns):
            if labels[i] == labels[j]:
                num += -(logits[k] - log_norm)
                count += 1
        total += num / count
    return total / anchors


def make_batch(n=6, d=5, seed=0, dtype=torch.float32):
    gen = torch.Generator().manual_seed(seed)
    v = torch.randn(n, d, generator=gen, dtype=torch.float64).to(dtype)
    z = torch.randn(n, d, generator=gen, dtype=torch.float64).to(dtype)
    cos = (torch.rand(n, n, generator=gen, dtype=torch.float64) * 2 -
           1).to(dtype)
    return v, z, cos


def build(**kwargs):
    return MODELS.build(dict(type='CSCLoss', **kwargs))


def check(value, expected, rel=1e-5):
    assert value.dim() == 0
    assert value.item() == pytest.approx(expected, rel=rel, abs=1e-7)


def test_fixed_temperature_matches_reference():
    v, z, _ = make_batch()
    labels = torch.tensor([0, 1, 2, 3, 4, 5])
    loss = build(threshold=0.2, adaptive_temperature=False)
    check(loss(v, z, labels), reference_csc(v, z, labels, 0.2))


def test_fixed_temperature_ignores_teacher_student_cos():
    v, z, cos = make_batch()
    labels = torch.tensor([0, 1, 0, 2, 1, 2])
    loss = build(threshold=0.07, adaptive_temperature=False)
    expected = reference_csc(v, z, labels, 0.07)
    check(loss(v, z, labels), expected)
    check(loss(v, z, labels, cos), expected)


def test_adaptive_temperature_matches_reference():
    v, z, cos = make_batch(seed=3)
    cos = cos.abs()  # non-negative: the reference's post-ReLU case
    labels = torch.tensor([0, 1, 2, 3, 4, 5])
    loss = build(threshold=0.07, adaptive_temperature=True)
    check(loss(v, z, labels, cos), reference_csc(v, z, labels, 0.07, cos))
    # and it differs from the fixed temperature
    assert abs(loss(v, z, labels, cos).item() -
               reference_csc(v, z, labels, 0.07)) > 1e-3


def test_adaptive_is_default():
    v, z, cos = make_batch(seed=4)
    labels = torch.tensor([0, 0, 1, 1, 2, 2])
    check(build()(v, z, labels, cos), reference_csc(v, z, labels, 0.07, cos))


def test_label_mask_with_several_positives():
    v, z, cos = make_batch(n=7, seed=5)
    labels = torch.tensor([2, 0, 2, 1, 0, 2, 1])
    for adaptive in (False, True):
        loss = build(threshold=0.1, adaptive_temperature=adaptive)
        expected = reference_csc(v, z, labels, 0.1, cos if adaptive else None)
        check(loss(v, z, labels, cos), expected)
    # the mask matters: all-distinct labels give another value
    distinct = torch.arange(7)
    assert abs(
        build(threshold=0.1, adaptive_temperature=False)(v, z, distinct).item()
        - reference_csc(v, z, labels, 0.1)) > 1e-3


def test_single_class_batch_all_positives():
    v, z, cos = make_batch(n=5, seed=6)
    labels = torch.full((5, ), 3)
    loss = build(threshold=0.2, adaptive_temperature=True)
    expected = reference_csc(v, z, labels, 0.2, cos)
    check(loss(v, z, labels, cos), expected)
    # with every j positive: mean_i mean_j -log P_ij
    vn = torch.nn.functional.normalize(v.double(), dim=1)
    zn = torch.nn.functional.normalize(z.double(), dim=1)
    tau = cos.double().clamp(min=0) + 0.2
    logits = (vn @ zn.t()) / tau
    manual = -(logits - logits.logsumexp(dim=1, keepdim=True)).mean()
    assert manual.item() == pytest.approx(expected, rel=1e-9)


def test_negative_cosines_are_clamped_at_zero():
    v, z, cos = make_batch(seed=7)
    assert (cos < 0).any() and (cos > 0).any()
    labels = torch.tensor([0, 1, 1, 2, 0, 2])
    loss = build(threshold=0.07, adaptive_temperature=True)
    clamped = torch.where(cos < 0, torch.zeros_like(cos), cos)
    value = loss(v, z, labels, cos)
    check(value, reference_csc(v, z, labels, 0.07, clamped))
    torch.testing.assert_close(value, loss(v, z, labels, clamped))
    # without the clamp tau could be <= 0; the result stays finite
    assert torch.isfinite(value)


def test_teacher_student_cos_is_detached():
    v, z, cos = make_batch(seed=8)
    cos = cos.abs().requires_grad_(True)
    v.requires_grad_(True)
    labels = torch.tensor([0, 1, 1, 2, 0, 2])
    build()(v, z, labels, cos).backward()
    assert cos.grad is None
    assert v.grad is not None and v.grad.abs().sum() > 0


def test_loss_weight_scales():
    v, z, cos = make_batch(seed=9)
    labels = torch.tensor([0, 1, 1, 2, 0, 2])
    base = build(threshold=0.1, loss_weight=1.0)(v, z, labels, cos)
    scaled = build(threshold=0.1, loss_weight=2.5)(v, z, labels, cos)
    check(scaled, 2.5 * reference_csc(v, z, labels, 0.1, cos))
    torch.testing.assert_close(scaled, 2.5 * base)


def test_tiny_temperature_is_finite():
    v, z, _ = make_batch(seed=10)
    labels = torch.tensor([0, 1, 1, 2, 0, 2])
    loss = build(threshold=1e-4, adaptive_temperature=False)
    value = loss(v, z, labels)
    # logits up to 1e4: exp overflows in float32, log_softmax must not
    assert torch.isfinite(value)
    check(value, reference_csc(v, z, labels, 1e-4), rel=1e-4)
    assert value.item() > 1.0  # a real, large loss (not 0, not nan)


def test_adaptive_without_cos_raises():
    v, z, _ = make_batch()
    labels = torch.arange(6)
    with pytest.raises(ValueError, match='teacher_student_cos'):
        build(adaptive_temperature=True)(v, z, labels)
    with pytest.raises(ValueError, match='teacher_student_cos'):
        build(adaptive_temperature=True)(v, z, labels, torch.rand(6, 5))


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match='threshold'):
        build(threshold=0.0)
    v, z, _ = make_batch()
    with pytest.raises(ValueError, match='same shape'):
        build(adaptive_temperature=False)(v, z[:, :4], torch.arange(6))


def test_hand_computed_2x2():
    # v_1 = (1, 0), v_2 = (0, 1); z_1 = (2, 0), z_2 = (0, 3) -> after
    # normalisation c = [[1, 0], [0, 1]].
    v = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    z = torch.tensor([[2.0, 0.0], [0.0, 3.0]])
    # Fixed t = 0.5, labels (0, 1): logits [[2, 0], [0, 2]],
    # -log P_11 = -log(e^2 / (e^2 + 1)) = log(1 + e^-2) = 0.1269280110,
    # same for row 2 -> L = 0.1269280110.
    fixed = build(threshold=0.5, adaptive_temperature=False)
    check(fixed(v, z, torch.tensor([0, 1])), 0.1269280110)
    # Labels (0, 0): both j positive; row 1:
    # (log(1 + e^-2) + log(1 + e^2)) / 2 = (0.1269280110 + 2.1269280110) / 2
    # = 1.1269280110, row 2 the same -> L = 1.1269280110.
    check(fixed(v, z, torch.tensor([0, 0])), 1.1269280110)
    # Adaptive, t = 0.5, cos = [[1, -1], [0.5, 0]]: tau = [[1.5, 0.5],
    # [1.0, 0.5]] (the -1 clamps to 0); logits row 1 = [1/1.5, 0/0.5] =
    # [0.6667, 0] -> -log P_11 = log(1 + e^-0.6667) = 0.4143701; row 2 =
    # [0/1.0, 1/0.5] = [0, 2] -> -log P_22 = log(1 + e^-2) = 0.1269280.
    # L = (0.4143701 + 0.1269280) / 2 = 0.2706490.
    cos = torch.tensor([[1.0, -1.0], [0.5, 0.0]])
    adaptive = build(threshold=0.5, adaptive_temperature=True)
    check(adaptive(v, z, torch.tensor([0, 1]), cos), 0.2706490, rel=1e-6)
    assert reference_csc(v, z, [0, 1], 0.5, cos) == pytest.approx(
        (math.log1p(math.exp(-2 / 3)) + math.log1p(math.exp(-2))) / 2)


def test_float64_inputs():
    v, z, cos = make_batch(seed=11, dtype=torch.float64)
    labels = torch.tensor([0, 1, 1, 2, 0, 2])
    value = build(threshold=0.07)(v, z, labels, cos)
    assert value.dtype == torch.float64
    assert value.item() == pytest.approx(
        reference_csc(v, z, labels, 0.07, cos), rel=1e-10)
    value = build(threshold=0.07, adaptive_temperature=False)(v, z, labels)
    assert value.dtype == torch.float64
    assert value.item() == pytest.approx(
        reference_csc(v, z, labels, 0.07), rel=1e-10)


def test_gradients_flow_into_both_features():
    v, z, cos = make_batch(seed=12)
    v.requires_grad_(True)
    z.requires_grad_(True)
    build()(v, z, torch.tensor([0, 1, 1, 2, 0, 2]), cos).backward()
    assert v.grad.abs().sum() > 0
    assert z.grad.abs().sum() > 0


def test_multi_hot_positives_are_jaccard_overlaps():
    from mmxkd.models.losses import CSCLoss
    tags = torch.tensor([[1, 1, 0], [0, 1, 0], [0, 0, 0], [1, 1, 0]])
    weights = CSCLoss.positive_weights(tags)
    expected = torch.tensor([[1, 0.5, 0, 1], [0.5, 1, 0, 0.5], [0, 0, 1, 0],
                             [1, 0.5, 0, 1]])
    torch.testing.assert_close(weights, expected)
    # one tag per clip: the same as class equality
    one_hot = torch.eye(3)[torch.tensor([0, 2, 0])]
    torch.testing.assert_close(
        CSCLoss.positive_weights(one_hot),
        CSCLoss.positive_weights(torch.tensor([0, 2, 0])))


@pytest.mark.parametrize('labels', [
    [0, 1, 0, 1, 2, 2],  # every anchor has a partner
    [0, 1, 0, 3, 2, 2],  # clips 1 and 3 have none: left out of the mean
])
@pytest.mark.parametrize('adaptive', [False, True])
def test_own_clip_excluded_matches_reference(labels, adaptive):
    v, z, cos = make_batch(seed=4)
    loss = build(threshold=0.2, adaptive_temperature=adaptive,
                 own_clip='excluded')
    expected = reference_csc(v.numpy(), z.numpy(), labels, 0.2,
                             cos.numpy() if adaptive else None, 'excluded')
    check(loss(v, z, torch.tensor(labels), cos), expected)
    # the own clip as a positive is the reference's loss, a different one
    assert build(threshold=0.2, adaptive_temperature=adaptive)(
        v, z, torch.tensor(labels), cos).item() != pytest.approx(expected)


def test_own_clip_excluded_without_any_partner_is_zero_and_attached():
    v, z, _ = make_batch(n=4, seed=6)
    z.requires_grad_(True)
    value = build(adaptive_temperature=False, own_clip='excluded')(
        v, z, torch.tensor([0, 1, 2, 3]))
    assert value.item() == 0
    value.backward()
    assert torch.equal(z.grad, torch.zeros_like(z))


def test_own_clip_is_checked():
    with pytest.raises(ValueError, match="own_clip must be one of"):
        build(own_clip='dropped')
