# Copyright (c) mmxkd contributors. All rights reserved.
"""GateSparsityLoss: loss_weight * sum_layers mean_rows(sum_cols |W|)."""
import pytest
import torch

import mmxkd
from mmxkd.registry import MODELS

mmxkd.register_all_modules()

# W1 rows: |1| + |-2| = 3, |3| + |0| = 3 -> mean_rows = 3
W1 = torch.tensor([[1.0, -2.0], [3.0, 0.0]])
# W2 rows: |0.5| + |-0.5| + |1| = 2, |-4| + |0| + |2| = 6 -> mean_rows = 4
W2 = torch.tensor([[0.5, -0.5, 1.0], [-4.0, 0.0, 2.0]])


def build(**kwargs):
    return MODELS.build(dict(type='GateSparsityLoss', **kwargs))


def test_sum_over_layers_default_weight():
    # 0.001 * (3 + 4) = 0.007
    value = build()([W1, W2])
    assert value.dim() == 0
    assert value.item() == pytest.approx(0.007)


def test_last_layer_only_matches_reference_code():
    # only W2: 0.001 * 4 = 0.004
    assert build(last_layer_only=True)([W1, W2]).item() == pytest.approx(
        0.004)
    # order matters: the *last* weight is kept
    assert build(last_layer_only=True)([W2, W1]).item() == pytest.approx(
        0.003)


def test_loss_weight():
    assert build(loss_weight=1.0)([W1, W2]).item() == pytest.approx(7.0)
    assert build(loss_weight=0.5)([W1]).item() == pytest.approx(1.5)
    assert build(loss_weight=2.0,
                 last_layer_only=True)([W1, W2]).item() == pytest.approx(8.0)


def test_single_layer_and_zero_weights():
    assert build(loss_weight=1.0)([W2]).item() == pytest.approx(4.0)
    assert build(loss_weight=1.0)([torch.zeros(3, 4)]).item() == 0.0


def test_gradient_is_sign_over_rows():
    w1 = W1.clone().requires_grad_(True)
    w2 = W2.clone().requires_grad_(True)
    build(loss_weight=1.0)([w1, w2]).backward()
    # d/dW mean_rows(sum |W|) = sign(W) / rows
    torch.testing.assert_close(w1.grad, torch.sign(W1) / 2)
    torch.testing.assert_close(w2.grad, torch.sign(W2) / 2)
    w1.grad = w2.grad = None
    build(loss_weight=1.0, last_layer_only=True)([w1, w2]).backward()
    assert w1.grad is None
    torch.testing.assert_close(w2.grad, torch.sign(W2) / 2)


def test_on_mnf_gate_weights():
    mnf = MODELS.build(
        dict(
            type='ModalityNoiseFilter',
            teacher_dim=8,
            student_dim=6,
            num_classes=3))
    w1, w2 = mnf.gate_weights
    expected = 0.001 * (w1.abs().sum(1).mean() + w2.abs().sum(1).mean())
    torch.testing.assert_close(build()(mnf.gate_weights), expected)


def test_empty_raises():
    with pytest.raises(ValueError, match='at least one weight'):
        build()([])
