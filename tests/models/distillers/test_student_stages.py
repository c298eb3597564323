# Copyright (c) mmxkd contributors. All rights reserved.
"""Earlier student stages: a head that names student submodules in
``student_stages`` receives their outputs from the one student pass, in
``DistillInputs.student_stages``, with no change to the frame; heads that
name none see exactly what they saw before."""
from typing import Dict, Sequence

import pytest
import torch
from torch import Tensor

from mmxkd.models.heads import BaseDistillHead, DistillInputs
from mmxkd.models.utils import to_tokens
from mmxkd.registry import MODELS
from .._student import make_batch
from ..heads._build import build_distiller

EARLY, LAST = 'backbone.layer1', 'backbone.layer2'


@MODELS.register_module(name='_StageHead', force=True)
class _StageHead(BaseDistillHead):
    """A head without parameters that reads an earlier stage of the student:
    ``loss_stage`` = mean square of its first stage's output."""

    student_stages = (EARLY, )

    def __init__(self, stages: Sequence[str] = (EARLY, ), **kwargs) -> None:
        super().__init__(**kwargs)
        self.student_stages = tuple(stages)
        self.seen = None

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        self.seen = inputs
        stage = inputs.student_stages[self.student_stages[0]]
        return dict(loss_stage=stage.pow(2).mean())


def test_a_head_receives_the_stages_it_names():
    model = build_distiller(
        dict(stage=dict(type='_StageHead', stages=(EARLY, LAST))))
    assert model.student_stages == (EARLY, LAST)
    inputs, samples = make_batch()
    model(inputs, samples, mode='loss')
    seen = model.distill_heads['stage'].seen
    assert set(seen.student_stages) == {EARLY, LAST}
    # the last stage is the map the tokens come from, from the same pass
    assert torch.equal(to_tokens(seen.student_stages[LAST]), seen.tokens)
    early = seen.student_stages[EARLY]
    assert early.shape[:2] == (len(samples), 4)  # layer1: 4 channels
    assert early.shape[2:] != seen.student_stages[LAST].shape[2:]


def test_the_stage_is_on_the_students_graph():
    model = build_distiller(dict(stage=dict(type='_StageHead')))
    losses = model(*make_batch(), mode='loss')
    backbone = model.student.backbone
    early = list(backbone.layer1.parameters())
    later = list(backbone.layer2.parameters())
    grads = torch.autograd.grad(
        losses['loss_stage'], early + later, allow_unused=True)
    assert all(g is not None and g.abs().sum() > 0 for g in grads[:len(early)])
    assert all(g is None for g in grads[len(early):])


def test_the_hooks_are_held_for_the_student_pass_only():
    model = build_distiller(dict(stage=dict(type='_StageHead')))
    layer = model.student.backbone.layer1
    model(*make_batch(), mode='loss')
    assert not layer._forward_hooks
    model(*make_batch(), mode='predict')
    assert not layer._forward_hooks


def test_other_heads_are_unchanged_by_a_stage_reading_head():
    inputs, samples = make_batch()
    alone = build_distiller(dict(mnf_csc=dict(type='MNFCSCHead')))
    assert alone.student_stages == ()
    plain = alone(inputs, samples, mode='loss')
    # the stage head has no parameters: the MNF draws the same weights
    both = build_distiller(
        dict(
            mnf_csc=dict(type='MNFCSCHead'),
            stage=dict(type='_StageHead')))
    with_stage = both(inputs, samples, mode='loss')
    assert set(with_stage) == set(plain) | {'loss_stage'}
    for key, value in plain.items():
        assert torch.equal(value, with_stage[key]), key


def test_heads_name_no_stage_by_default():
    model = build_distiller(dict(csc=dict(type='CSCHead')))
    _, distill_inputs = model.student_step(*make_batch())
    assert distill_inputs.student_stages == {}


@pytest.mark.parametrize('stages', [('backbone.layer9', ), ('', )])
def test_an_unknown_stage_is_an_error_at_build(stages):
    with pytest.raises(ValueError,
                       match=r'model.heads.stage reads the student stages'):
        build_distiller(dict(stage=dict(type='_StageHead', stages=stages)))


def test_a_stage_that_does_not_run_is_an_error():
    model = build_distiller(
        dict(stage=dict(type='_StageHead', stages=('data_preprocessor', ))))
    # train_step runs it before the student pass
    with pytest.raises(RuntimeError,
                       match=r"\['data_preprocessor'\].*did not run"):
        model(*make_batch(), mode='loss')
