# Copyright (c) mmxkd contributors. All rights reserved.
"""The heads that decide per clip how far to trust the teacher: their
weights, their exposed trust and kept clips, and what learns from them."""
import pytest
import torch
import torch.nn.functional as F

import mmxkd
from mmxkd.models.heads import DistillInputs
from mmxkd.registry import MODELS

mmxkd.register_all_modules()

C = 4


def make_inputs(student_logits, teacher_logits, labels, labelled,
                sample_idx=None) -> DistillInputs:
    n = len(labels)
    return DistillInputs(
        tokens=torch.zeros(n, 2, 3),
        pooled=torch.zeros(n, 3),
        logits=student_logits,
        labels=torch.as_tensor(labels),
        teacher_feats=dict(teacher=torch.zeros(n, 5)),
        teacher_logits=dict(teacher=teacher_logits),
        sample_idx=None if sample_idx is None else torch.as_tensor(
            sample_idx),
        labelled=torch.as_tensor(labelled))


def one_hot_logits(classes, scale=8.0):
    return F.one_hot(torch.as_tensor(classes), C).float() * scale


def build(cfg):
    return MODELS.build(dict(cfg, num_classes=C))


def test_kd_loss_weight_is_a_per_clip_mean():
    kd = MODELS.build(dict(type='KDLoss', temperature=2.0))
    s, t = torch.randn(5, C), torch.randn(5, C)
    per_clip = kd.per_clip(s, t)
    assert per_clip.shape == (5, )
    torch.testing.assert_close(kd(s, t), per_clip.mean())
    weight = torch.tensor([1., 0., 1., 0.5, 0.])
    torch.testing.assert_close(kd(s, t, weight), (per_clip * weight).sum() / 5)
    with pytest.raises(ValueError, match='weight must be'):
        kd(s, t, torch.ones(4))


def test_label_agreement_masks_contradicted_labelled_clips():
    head = build(dict(type='LabelAgreementKDHead'))
    s = torch.randn(4, C, requires_grad=True)
    # clip 0: labelled, teacher agrees; 1: labelled, contradicts;
    # 2, 3: unlabelled (kept whatever the teacher says)
    inputs = make_inputs(s, one_hot_logits([1, 2, 3, 0]), [1, 1, -1, -1],
                         [True, True, False, False])
    losses = head(inputs)
    assert head.clip_kept.tolist() == [True, False, True, True]
    assert head.clip_trust['trust'].tolist() == [1., 0., 1., 1.]
    kd = head.loss_kd.per_clip(s, inputs.teacher_logits['teacher'])
    torch.testing.assert_close(losses['loss_kd'],
                               (kd[0] + kd[2] + kd[3]) / 4)
    losses['loss_kd'].backward()
    assert s.grad[1].abs().sum() == 0 and s.grad[0].abs().sum() > 0


def test_wsld_weight_is_low_where_the_teacher_errs_more():
    head = build(dict(type='LabelAgreementKDHead', weighting='wsld'))
    s = one_hot_logits([1, 1], scale=2.0)
    inputs = make_inputs(s, one_hot_logits([1, 3]), [1, 1], [True, True])
    head(inputs)
    right, wrong = head.clip_trust['trust'].tolist()
    assert right > 0.5 > wrong >= 0
    with pytest.raises(ValueError, match='weighting'):
        build(dict(type='LabelAgreementKDHead', weighting='soft'))


def test_confident_head_keeps_confident_teachers_only():
    head = build(dict(type='ConfidentKDHead', threshold=0.9))
    t = torch.stack([one_hot_logits(0, 10.0), torch.zeros(C)])
    head(make_inputs(torch.randn(2, C), t, [-1, -1], [False, False]))
    assert head.clip_kept.tolist() == [True, False]
    assert head.clip_trust['trust'][1].item() == pytest.approx(1 / C)


def test_gce_weight_is_the_student_probability_to_the_q():
    head = build(dict(type='GCEKDHead', q=0.5))
    s = torch.randn(3, C, requires_grad=True)
    t = one_hot_logits([0, 1, 2])
    losses = head(make_inputs(s, t, [-1] * 3, [False] * 3))
    p = F.softmax(s, 1)[torch.arange(3), torch.tensor([0, 1, 2])]
    torch.testing.assert_close(losses['loss_gce'], ((1 - p**0.5) / 0.5).mean())
    torch.testing.assert_close(head.clip_trust['trust'], p.detach()**0.5)
    assert head.clip_kept is None
    losses['loss_gce'].backward()
    assert s.grad.abs().sum() > 0


def selective(**kwargs):
    head = build(dict(type='SelectiveKDHead', **kwargs))
    head.set_train_size(8)
    return head


def test_selective_head_uses_every_unlabelled_clip_in_warm_up():
    head = selective(warmup_epochs=1.0)
    s = torch.randn(4, C)
    inputs = make_inputs(s, one_hot_logits([0, 1, 2, 3]), [0, 2, -1, -1],
                         [True, True, False, False], sample_idx=[0, 1, 2, 3])
    losses = head(inputs)
    assert head.clip_kept.tolist() == [True, False, True, True]
    assert losses['kd_keep_rate'].item() == pytest.approx(0.5)
    assert head.bank.contradiction_rate() == pytest.approx(0.5)
    # labelled clips' trust is the agreement, unlabelled clips' the student's
    # probability of the teacher's class
    p = F.softmax(s, 1)
    torch.testing.assert_close(
        head.clip_trust['trust'],
        torch.tensor([1., 0., p[2, 2].item(), p[3, 3].item()]))


def test_selective_head_drops_the_unlabelled_clips_the_video_contradicts():
    head = selective(warmup_epochs=0.0, keep_rate=0.5)
    # the student believes class 0 for every clip; the teacher says 0 on
    # clips 0-3 and 3 on clips 4-7 (irrelevant sound)
    s = one_hot_logits([0] * 8, scale=4.0).requires_grad_()
    t = one_hot_logits([0, 0, 0, 0, 3, 3, 3, 3])
    inputs = make_inputs(s, t, [-1] * 8, [False] * 8, sample_idx=range(8))
    losses = head(inputs)
    assert head.clip_kept.tolist() == [True] * 4 + [False] * 4
    trust = head.clip_trust['trust']
    assert (trust[:4] > trust[4:].max()).all()
    losses['loss_kd'].backward()
    assert s.grad[4:].abs().sum() == 0 and s.grad[:4].abs().sum() > 0


def test_selective_head_smooths_trust_over_visits():
    head = selective(warmup_epochs=0.0, momentum=0.5, score='small_loss')
    t = one_hot_logits([0, 1])
    idx = [5, 6]
    first = make_inputs(t.clone(), t, [-1, -1], [False, False], idx)
    head(first)
    agreeing = head.clip_trust['trust'].clone()
    second = make_inputs(one_hot_logits([2, 2]), t, [-1, -1],
                         [False, False], idx)
    head(second)
    kd = head.loss_kd.per_clip(second.logits, t)
    torch.testing.assert_close(head.clip_trust['trust'],
                               0.5 * agreeing + 0.5 * torch.exp(-kd))
    assert int(head.bank.seen) == 4


def test_selective_head_bank_survives_a_checkpoint():
    head = selective(warmup_epochs=0.0)
    head(make_inputs(torch.randn(2, C), one_hot_logits([0, 1]), [0, -1],
                     [True, False], [0, 1]))
    fresh = build(dict(type='SelectiveKDHead'))
    fresh.load_state_dict(head.state_dict())
    torch.testing.assert_close(fresh.bank.values, head.bank.values,
                               equal_nan=True)
    assert fresh.bank.contradiction_rate() == head.bank.contradiction_rate()


def test_selective_head_errors_name_what_is_missing():
    with pytest.raises(ValueError, match='score must be one of'):
        build(dict(type='SelectiveKDHead', score='loss'))
    with pytest.raises(ValueError, match='keep_rate'):
        build(dict(type='SelectiveKDHead', keep_rate=0))
    head = selective()
    with pytest.raises(ValueError, match="'sample_idx'"):
        head(make_inputs(torch.randn(2, C), torch.randn(2, C), [0, 1],
                         [True, True]))
    unsized = build(dict(type='SelectiveKDHead'))
    with pytest.raises(RuntimeError, match='TrainSetSizeHook'):
        unsized(make_inputs(torch.randn(2, C), torch.randn(2, C), [0, 1],
                            [True, True], [0, 1]))


def test_mnf_reports_its_per_clip_signals():
    from .._student import make_batch
    from ._build import build_distiller
    model = build_distiller(dict(mnf_csc=dict(type='MNFCSCHead')))
    inputs, samples = make_batch()
    model(inputs, samples, mode='loss')
    signals = model.distill_heads['mnf_csc'].clip_trust
    assert set(signals) == {'gate_mean', 'norm_ratio', 'attn_entropy'}
    for values in signals.values():
        assert values.shape == (len(samples), )
        assert not values.requires_grad
    assert ((signals['gate_mean'] > 0) & (signals['gate_mean'] < 1)).all()
    assert 'trust' not in signals  # the MNF weighs no clip


def test_contradiction_keeps_what_the_student_is_unsure_of():
    head = selective(score='contradiction', warmup_epochs=0.0, threshold=0.2,
                     momentum=0.0)
    t = one_hot_logits([0, 0, 0, 1])
    # clip 0: the student agrees; 1: unsure (flat); 2: confidently class 3;
    # 3: class 1 as the teacher
    s = torch.stack([one_hot_logits(0, 4.0), torch.zeros(C),
                     one_hot_logits(3, 4.0), one_hot_logits(1, 4.0)])
    head(make_inputs(s, t, [-1] * 4, [False] * 4, sample_idx=[0, 1, 2, 3]))
    p = F.softmax(s, 1)
    ratio = p / p.mean(0)
    torch.testing.assert_close(head.clip_trust['trust'],
                               ratio[torch.arange(4), t.argmax(1)] /
                               ratio.max(1).values)
    assert head.clip_trust['trust'][0].item() == pytest.approx(1.0)
    assert head.clip_kept.tolist() == [True, True, False, True]
    with pytest.raises(ValueError, match='threshold'):
        build(dict(type='SelectiveKDHead', threshold=2.0))


def test_contradiction_of_a_student_collapsed_onto_its_prior_is_none():
    head = selective(score='contradiction', warmup_epochs=0.0, threshold=0.2)
    # the same prediction for every clip, whatever the teacher says
    s = one_hot_logits([2] * 4, scale=3.0)
    head(make_inputs(s, one_hot_logits([0, 1, 2, 3]), [-1] * 4, [False] * 4,
                     sample_idx=[0, 1, 2, 3]))
    torch.testing.assert_close(head.clip_trust['trust'], torch.ones(4))
    state = head.state_dict()
    fresh = build(dict(type='SelectiveKDHead', score='contradiction'))
    fresh.load_state_dict(state)
    torch.testing.assert_close(fresh.student_prior, head.student_prior)
