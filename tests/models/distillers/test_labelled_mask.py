# Copyright (c) mmxkd contributors. All rights reserved.
"""The frame's ``labelled`` mask: the student's own loss over the labelled
clips only, withheld labels in DistillInputs, every clip labelled without
the flag."""
import torch
import torch.nn.functional as F

from .._student import LABELS, make_batch
from ..heads._build import build_distiller

FLAGS = (True, False, True, False)


def flagged(flags=FLAGS):
    """The standard batch, each sample carrying its ``labelled`` flag as a
    label-scarce dataset packs it (the true label stays in gt_label, so the
    frame itself must withhold it)."""
    inputs, samples = make_batch()
    for sample, flag in zip(samples, flags):
        sample.set_field(flag, 'labelled')
    return inputs, samples


def student_logits(model, inputs, samples):
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    return model.student.cls_head(feats)


def test_loss_cls_v_is_the_cross_entropy_of_the_labelled_clips():
    model = build_distiller({})
    inputs, samples = flagged()
    losses = model(inputs, samples, mode='loss')
    keep = torch.tensor(FLAGS)
    expected = F.cross_entropy(
        student_logits(model, inputs, samples)[keep],
        torch.tensor(LABELS)[keep])
    torch.testing.assert_close(losses['loss_cls_v'], expected)


def test_without_flags_every_clip_is_labelled():
    model = build_distiller({})
    inputs, samples = make_batch()
    losses, distill_inputs = model.student_step(inputs, samples)
    assert distill_inputs.labelled.dtype == torch.bool
    assert distill_inputs.labelled.all()
    assert distill_inputs.labels.tolist() == list(LABELS)
    torch.testing.assert_close(
        losses['loss_cls_v'],
        F.cross_entropy(
            student_logits(model, inputs, samples), torch.tensor(LABELS)))


def test_unlabelled_clips_reach_the_heads_without_their_label():
    model = build_distiller({})
    _, distill_inputs = model.student_step(*flagged())
    assert distill_inputs.labelled.tolist() == list(FLAGS)
    assert distill_inputs.labels.tolist() == [0, -1, 1, -1]


def test_a_batch_without_labelled_clips_gives_zero_with_gradients():
    model = build_distiller({})
    losses = model(*flagged((False, ) * 4), mode='loss')
    assert losses['loss_cls_v'].item() == 0
    losses['loss_cls_v'].backward()
    for name, param in model.student.named_parameters():
        assert param.grad is not None, name
        assert param.grad.abs().sum() == 0, name
