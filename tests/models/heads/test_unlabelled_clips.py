# Copyright (c) mmxkd contributors. All rights reserved.
"""What the label terms of CSCHead and MNFCSCHead do with unlabelled clips:
``'skip'`` drops them from CSC (anchors, positives, columns) and from the
MNF classifier's CE; ``'teacher'`` gives them the teacher's argmax."""
import pytest
import torch
import torch.nn.functional as F

from .._student import LABELS, NUM_CLASSES, TEACHER_DIM, make_batch
from ._build import build_distiller, grads

FLAGS = torch.tensor([True, False, True, False])
# the teacher classifier below predicts class 2 for every clip
PSEUDO = torch.tensor([0, 2, 1, 2])


def flagged(flags=FLAGS):
    inputs, samples = make_batch()
    for sample, flag in zip(samples, flags.tolist()):
        sample.set_field(flag, 'labelled')
    return inputs, samples


def teacher_with_classifier(tmp_path):
    checkpoint = str(tmp_path / 'teacher.pth')
    torch.save(
        dict(state_dict={
            'cls_head.fc_cls.weight': torch.zeros(NUM_CLASSES, TEACHER_DIM),
            'cls_head.fc_cls.bias': torch.tensor([0., 0., 5.])
        }), checkpoint)
    return dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM,
                classifier=dict(checkpoint=checkpoint))


def csc(v, z, cos, labels, t=0.07):
    """The method's L_csc (adaptive temperature) on the given clips."""
    tau = cos.clamp(min=0) + t
    log_p = F.log_softmax(
        F.normalize(v, dim=1) @ F.normalize(z, dim=1).t() / tau, dim=1)
    m = (labels.view(-1, 1) == labels.view(1, -1)).float()
    return (-(log_p * m).sum(1) / m.sum(1)).mean()


def csc_head_terms(model, inputs, samples):
    """v, the projected teacher P a and cos(v, P a) of the CSCHead."""
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    v = feats.mean(dim=(2, 3, 4))
    a = torch.stack([torch.from_numpy(s.teacher_feat) for s in samples])
    z = model.distill_heads['csc'].projector(a)
    cos = F.normalize(v, dim=1) @ F.normalize(z, dim=1).t()
    return v, z, cos


def test_csc_skip_uses_the_labelled_clips_alone():
    model = build_distiller(dict(csc=dict(type='CSCHead')))
    inputs, samples = flagged()
    losses = model(inputs, samples, mode='loss')
    v, z, cos = csc_head_terms(model, inputs, samples)
    keep = FLAGS
    expected = csc(v[keep], z[keep], cos[keep][:, keep],
                   torch.tensor(LABELS)[keep])
    torch.testing.assert_close(losses['loss_csc'], expected)
    # the true labels of the unlabelled clips would give another loss
    assert not torch.allclose(expected, csc(v, z, cos, torch.tensor(LABELS)))


def test_csc_teacher_takes_the_teacher_argmax_as_positive(tmp_path):
    model = build_distiller(
        dict(csc=dict(type='CSCHead', unlabelled='teacher')),
        teacher=teacher_with_classifier(tmp_path))
    assert model.distill_heads['csc'].uses_teacher_logits
    inputs, samples = flagged()
    losses = model(inputs, samples, mode='loss')
    v, z, cos = csc_head_terms(model, inputs, samples)
    torch.testing.assert_close(losses['loss_csc'], csc(v, z, cos, PSEUDO))


def test_teacher_mode_needs_the_teacher_classifier():
    with pytest.raises(ValueError,
                       match='model.heads.csc reads the logits.*classifier'):
        build_distiller(dict(csc=dict(type='CSCHead', unlabelled='teacher')))


@pytest.mark.parametrize('head', ['CSCHead', 'MNFCSCHead'])
def test_unknown_mode_names_the_option(head):
    with pytest.raises(ValueError, match=f"{head}: unlabelled.*'guess'"):
        build_distiller(dict(h=dict(type=head, unlabelled='guess')))


def mnf_terms(model, inputs, samples, labels, keep):
    """The method's CSC, CE and triplet from the MNF's outputs, the label
    terms over the clips ``keep``, the triplet over every clip."""
    mnf = model.distill_heads['mnf_csc'].mnf
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    V = feats.flatten(2).transpose(1, 2)
    v = V.mean(1)
    out = mnf(model.teachers['teacher'](inputs, samples), V)
    cos = F.normalize(v, dim=1) @ F.normalize(out['filtered_teacher'],
                                              dim=1).t()
    return dict(
        loss_csc=csc(v[keep], out['calibrated'][keep], cos[keep][:, keep],
                     labels[keep]),
        loss_cls_n=F.cross_entropy(out['logits'][keep], labels[keep]),
        loss_tri=(F.cosine_similarity(v, out['teacher']) -
                  F.cosine_similarity(v, out['filtered_teacher']) +
                  0.2).clamp(min=0).mean())


@pytest.mark.parametrize('mode', ['skip', 'teacher'])
def test_mnf_csc_label_terms_follow_the_mode(mode, tmp_path):
    model = build_distiller(
        dict(mnf_csc=dict(type='MNFCSCHead', unlabelled=mode)),
        teacher=teacher_with_classifier(tmp_path))
    inputs, samples = flagged()
    losses = model(inputs, samples, mode='loss')
    if mode == 'skip':
        expected = mnf_terms(model, inputs, samples, torch.tensor(LABELS),
                             FLAGS)
    else:
        expected = mnf_terms(model, inputs, samples, PSEUDO,
                             torch.ones(4, dtype=torch.bool))
    for key, value in expected.items():
        torch.testing.assert_close(losses[key], value, msg=key)


def test_mnf_csc_without_labelled_clips_keeps_the_graph():
    model = build_distiller(dict(mnf_csc=dict(type='MNFCSCHead')))
    losses = model(*flagged(torch.zeros(4, dtype=torch.bool)), mode='loss')
    assert losses['loss_csc'].item() == 0
    assert losses['loss_cls_n'].item() == 0
    assert losses['loss_tri'].item() >= 0  # the triplet uses every clip
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    head = model.distill_heads['mnf_csc']
    assert all(g is not None for g in grads(head.mnf).values())
    assert model.student.backbone.conv1.conv.weight.grad is not None
