# Copyright (c) mmxkd contributors. All rights reserved.
"""CrossModalTripletLoss:
``mean(max(0, cos(anchor, negative) - cos(anchor, positive) + margin))``."""
import math

import pytest
import torch

import mmxkd
from mmxkd.registry import MODELS

mmxkd.register_all_modules()


def build(**kwargs):
    return MODELS.build(dict(type='CrossModalTripletLoss', **kwargs))


def t(*rows):
    return torch.tensor(rows, dtype=torch.float32)


def test_single_triplets_hand_computed():
    loss = build()  # margin 0.2
    # anchor (1, 0), positive (0, 1), negative (2, 0):
    # cos_an = 1, cos_ap = 0 -> 1 - 0 + 0.2 = 1.2
    assert loss(t([1, 0]), t([0, 1]), t([2, 0])).item() == pytest.approx(1.2)
    # positive (1, 1): cos_ap = 1/sqrt(2) -> 1 - 0.70711 + 0.2 = 0.49289
    assert loss(t([1, 0]), t([1, 1]), t([2, 0])).item() == pytest.approx(
        1.2 - 1 / math.sqrt(2))


def test_zero_region():
    loss = build()
    # anchor (1, 0), positive (3, 0), negative (0, 1):
    # 0 - 1 + 0.2 = -0.8 -> clamped to 0
    assert loss(t([1, 0]), t([3, 0]), t([0, 1])).item() == 0.0
    # cos_an = 0.5, cos_ap = 1: 0.5 - 1 + 0.2 = -0.3 -> clamped to 0
    value = loss(t([1, 0]), t([1, 0]), t([0.5, math.sqrt(3) / 2]))
    assert value.item() == 0.0


def test_hinge_is_active_inside_margin():
    # cos_an = 0.9, cos_ap = 1 -> 0.9 - 1 + 0.2 = 0.1 (inside the margin)
    loss = build()
    neg = t([0.9, math.sqrt(1 - 0.81)])
    assert loss(t([1, 0]), t([1, 0]), neg).item() == pytest.approx(0.1)
    # the same pair with margin 0.05 falls into the zero region
    assert build(margin=0.05)(t([1, 0]), t([1, 0]), neg).item() == 0.0


def test_batch_mean_includes_zero_terms():
    # rows: 1.2, 0 (clamped from -0.8), 0.2 (positive == negative)
    anchor = t([1, 0], [1, 0], [0, 1])
    positive = t([0, 1], [3, 0], [1, 1])
    negative = t([2, 0], [0, 1], [1, 1])
    value = build()(anchor, positive, negative)
    assert value.dim() == 0
    assert value.item() == pytest.approx((1.2 + 0.0 + 0.2) / 3)


def test_margin_and_loss_weight():
    anchor, positive, negative = t([1, 0]), t([0, 1]), t([2, 0])
    assert build(margin=0.5)(anchor, positive,
                             negative).item() == pytest.approx(1.5)
    assert build(margin=0.0)(anchor, positive,
                             negative).item() == pytest.approx(1.0)
    assert build(loss_weight=3.0)(anchor, positive,
                                  negative).item() == pytest.approx(3.6)
    # positive == negative: exactly the margin
    assert build(margin=0.3)(t([1, 2]), t([3, -1]),
                             t([3, -1])).item() == pytest.approx(0.3)


def test_no_gradient_in_zero_region():
    anchor = t([1, 0]).requires_grad_(True)
    positive = t([3, 0]).requires_grad_(True)
    negative = t([0, 1]).requires_grad_(True)
    build()(anchor, positive, negative).backward()
    for x in (anchor, positive, negative):
        assert torch.count_nonzero(x.grad) == 0
    positive2 = t([0, 1]).requires_grad_(True)
    negative2 = t([2, 1]).requires_grad_(True)
    build()(anchor, positive2, negative2).backward()
    assert positive2.grad.abs().sum() > 0
    assert negative2.grad.abs().sum() > 0
