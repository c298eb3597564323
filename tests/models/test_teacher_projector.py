# Copyright (c) mmxkd contributors. All rights reserved.
import pytest
import torch

from mmxkd.models.necks import TeacherProjector
from mmxkd.models.teachers import PrecomputedTeacher


def test_teacher_projector_outputs_and_identity():
    neck = TeacherProjector(teacher_dim=6, student_dim=4)
    out = neck(torch.randn(3, 6), torch.randn(3, 5, 4))
    assert set(out) == {'teacher', 'filtered_teacher', 'calibrated'}
    assert out['calibrated'].shape == (3, 4)
    same = TeacherProjector(teacher_dim=4, student_dim=4)
    a = torch.randn(2, 4)
    torch.testing.assert_close(same(a, torch.randn(2, 1, 4))['calibrated'], a)
    with pytest.raises(ValueError, match=r'\(N, 6\)'):
        neck(torch.randn(3, 4), torch.randn(3, 5, 4))


def test_teacher_classifier_errors_name_the_key(tmp_path):
    with pytest.raises(FileNotFoundError, match='classifier.checkpoint'):
        PrecomputedTeacher(
            feat_dim=4, classifier=dict(checkpoint='nope.pth', num_classes=2))
    ckpt = tmp_path / 't.pth'
    torch.save(dict(state_dict={'cls_head.fc_cls.weight': torch.ones(3, 4)}),
               ckpt)
    with pytest.raises(ValueError, match=r'expected \(2, 4\)'):
        PrecomputedTeacher(
            feat_dim=4, classifier=dict(checkpoint=str(ckpt), num_classes=2))
    with pytest.raises(KeyError, match='head.fc.weight'):
        PrecomputedTeacher(
            feat_dim=4,
            classifier=dict(
                checkpoint=str(ckpt), num_classes=3, prefix='head.fc'))
    teacher = PrecomputedTeacher(
        feat_dim=4, classifier=dict(checkpoint=str(ckpt), num_classes=3))
    assert teacher.classify(torch.ones(1, 4)).tolist() == [[4.0, 4.0, 4.0]]
