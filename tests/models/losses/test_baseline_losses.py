# Copyright (c) mmxkd contributors. All rights reserved.
"""The baselines' losses on hand-made features with known values."""
import math

import pytest
import torch

from mmxkd.models.losses import (CosineAlignmentLoss, CRDLoss, FitNetLoss,
                                 KDLoss)


def test_kd_loss_zero_when_logits_agree_and_known_value():
    logits = torch.tensor([[1.0, 2.0, 0.5]])
    assert KDLoss(temperature=3.0)(logits, logits).item() == pytest.approx(
        0, abs=1e-6)
    # T = 1, two classes: teacher (1/2, 1/2), student softmax([log 3, 0]) =
    # (3/4, 1/4): KL = 1/2 log(2/3) + 1/2 log(2) = 1/2 log(4/3)
    student = torch.tensor([[math.log(3.0), 0.0]])
    teacher = torch.zeros(1, 2)
    value = KDLoss(temperature=1.0, loss_weight=2.0)(student, teacher)
    assert value.item() == pytest.approx(2 * 0.5 * math.log(4 / 3), rel=1e-5)


def test_kd_loss_scales_with_temperature_squared_and_checks_shapes():
    student, teacher = torch.randn(4, 5), torch.randn(4, 5)
    big_t = KDLoss(temperature=100.0)(student, teacher)
    # large T: T^2 KL -> mean squared centred-logit gap / (2 C)
    centred = (student - student.mean(1, keepdim=True)) - (
        teacher - teacher.mean(1, keepdim=True))
    assert big_t.item() == pytest.approx(
        (centred**2).sum(1).mean().item() / (2 * 5), rel=1e-2)
    with pytest.raises(ValueError, match='same shape'):
        KDLoss()(student, torch.randn(4, 3))
    with pytest.raises(ValueError, match='temperature'):
        KDLoss(temperature=0)


def test_kd_loss_sends_no_gradient_to_the_teacher():
    student = torch.randn(3, 4, requires_grad=True)
    teacher = torch.randn(3, 4, requires_grad=True)
    KDLoss()(student, teacher).backward()
    assert student.grad.abs().sum() > 0 and teacher.grad is None


def test_fitnet_loss_is_mse_through_its_regressor():
    loss = FitNetLoss(student_dim=2, teacher_dim=3, loss_weight=0.5)
    with torch.no_grad():
        loss.projector.weight.copy_(
            torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
        loss.projector.bias.zero_()
    v = torch.tensor([[1.0, 2.0]])
    a = torch.tensor([[1.0, 0.0, 3.0]])  # W v = (1, 2, 3): error (0, 2, 0)
    assert loss(v, a).item() == pytest.approx(0.5 * 4 / 3)


def test_cosine_alignment_identity_when_sizes_match():
    loss = CosineAlignmentLoss(student_dim=2, teacher_dim=2)
    assert isinstance(loss.projector, torch.nn.Identity)
    v = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
    a = torch.tensor([[0.0, 2.0], [3.0, 3.0]])  # cos 0 and 1
    assert loss(v, a).item() == pytest.approx(0.5)
    projected = CosineAlignmentLoss(student_dim=2, teacher_dim=5)
    assert isinstance(projected.projector, torch.nn.Linear)
    assert projected(v, torch.randn(2, 5)).shape == ()


def make_crd(**kwargs):
    torch.manual_seed(0)
    args = dict(
        student_dim=4,
        teacher_dim=6,
        num_samples=8,
        embed_dim=3,
        num_negatives=5,
        temperature=0.5,
        momentum=0.5)
    args.update(kwargs)
    return CRDLoss(**args)


def test_crd_loss_value_matches_the_nce_formula():
    crd = make_crd().eval()  # eval: no memory update, to recompute
    v, a = torch.randn(2, 4), torch.randn(2, 6)
    idx = torch.tensor([1, 6])
    torch.manual_seed(5)
    value = crd(v, a, idx)

    torch.manual_seed(5)
    contrast = torch.randint(8, (2, 6))
    contrast[:, 0] = idx
    f_s = torch.nn.functional.normalize(crd.embed_student(v), dim=1)
    f_t = torch.nn.functional.normalize(crd.embed_teacher(a), dim=1)
    total = 0
    for anchor, bank, z in ((f_s, crd.memory_teacher, crd.z_student),
                            (f_t, crd.memory_student, crd.z_teacher)):
        scores = torch.exp(
            torch.einsum('nkd,nd->nk', bank[contrast], anchor) / 0.5) / z
        noise = 5 / 8
        total -= (torch.log(scores[:, 0] / (scores[:, 0] + noise)).sum() +
                  torch.log(noise / (scores[:, 1:] + noise)).sum()) / 2
    assert crd.z_student > 0 and crd.z_teacher > 0
    torch.testing.assert_close(value, 0.8 * total, rtol=1e-4, atol=1e-5)


def test_crd_memory_moves_towards_embeddings_in_training():
    crd = make_crd(momentum=0.0).train()
    v, a = torch.randn(2, 4), torch.randn(2, 6)
    idx = torch.tensor([2, 7])
    untouched = crd.memory_student[0].clone()
    crd(v, a, idx)
    f_s = torch.nn.functional.normalize(crd.embed_student(v), dim=1)
    torch.testing.assert_close(crd.memory_student[idx], f_s.detach())
    torch.testing.assert_close(crd.memory_student[0], untouched)
    assert crd.memory_teacher[idx].norm(dim=1).allclose(torch.ones(2))


def test_crd_loss_trains_student_and_embeddings_not_teacher():
    crd = make_crd()
    v = torch.randn(2, 4, requires_grad=True)
    a = torch.randn(2, 6, requires_grad=True)
    crd(v, a, torch.tensor([0, 1])).backward()
    assert v.grad.abs().sum() > 0 and a.grad is None
    assert crd.embed_teacher.weight.grad.abs().sum() > 0


def test_crd_rejects_indices_outside_the_bank():
    with pytest.raises(ValueError, match='num_samples'):
        make_crd()(torch.randn(1, 4), torch.randn(1, 6), torch.tensor([8]))


def test_crd_banks_sized_later_and_by_a_checkpoint():
    crd = CRDLoss(student_dim=4, teacher_dim=6, num_negatives=3)
    assert crd.num_samples == 0
    with pytest.raises(RuntimeError, match='no size'):
        crd(torch.randn(1, 4), torch.randn(1, 6), torch.tensor([0]))
    bank = crd.memory_student
    crd.set_num_samples(12)
    # resized in place: a wrapper holding the buffer sees the new bank
    assert crd.memory_student is bank and tuple(bank.shape) == (12, 128)
    assert torch.isfinite(crd(torch.randn(2, 4), torch.randn(2, 6),
                              torch.tensor([0, 11])))
    fresh = CRDLoss(student_dim=4, teacher_dim=6, num_negatives=3)
    fresh.load_state_dict(crd.state_dict())
    assert fresh.num_samples == 12
    torch.testing.assert_close(fresh.memory_teacher, crd.memory_teacher)
    with pytest.raises(ValueError, match='>= 2'):
        fresh.set_num_samples(1)
