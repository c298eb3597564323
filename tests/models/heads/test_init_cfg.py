# Copyright (c) mmxkd contributors. All rights reserved.
"""Heads are MMEngine ``BaseModule``s: the distiller's ``init_weights`` (what
the runner calls) applies a head's ``init_cfg`` and, without one, leaves
every head's weights as they were drawn at build; teachers are never
initialised."""
import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmxkd.models.heads import BaseDistillHead
from ._build import build_distiller

HEADS = dict(
    mnf_csc=dict(type='MNFCSCHead'),
    csc=dict(type='CSCHead'),
    crd=dict(
        type='CRDHead',
        loss_crd=dict(
            type='CRDLoss', num_samples=8, num_negatives=6, embed_dim=8)),
    fitnet=dict(
        type='FeatureKDHead',
        losses=dict(loss_fitnet=dict(type='FitNetLoss'))))


def snapshot(module: nn.Module) -> dict:
    return {k: v.clone() for k, v in module.state_dict().items()}


def test_heads_are_base_modules():
    model = build_distiller(HEADS)
    assert all(
        isinstance(head, BaseModule) and isinstance(head, BaseDistillHead)
        for head in model.distill_heads.values())


def test_init_weights_without_init_cfg_keeps_every_head_bit_identical():
    model = build_distiller(HEADS)
    heads, teachers = snapshot(model.distill_heads), snapshot(model.teachers)
    model.init_weights()
    for before, module in ((heads, model.distill_heads),
                           (teachers, model.teachers)):
        after = module.state_dict()
        assert before.keys() == after.keys()
        for key, value in before.items():
            assert torch.equal(value, after[key]), key


def test_init_cfg_of_a_head_is_applied_by_the_distiller():
    init_cfg = dict(type='Constant', layer='Linear', val=0.5, bias=0.0)
    model = build_distiller(
        dict(
            csc=dict(type='CSCHead', init_cfg=init_cfg),
            mnf_csc=dict(type='MNFCSCHead')))
    other = snapshot(model.distill_heads['mnf_csc'])
    model.init_weights()
    projector = model.distill_heads['csc'].projector
    assert isinstance(projector, nn.Linear)  # Da 16 -> Dv 8
    assert bool((projector.weight == 0.5).all())
    assert model.distill_heads['csc'].init_cfg == init_cfg
    for key, value in model.distill_heads['mnf_csc'].state_dict().items():
        assert torch.equal(value, other[key]), key
