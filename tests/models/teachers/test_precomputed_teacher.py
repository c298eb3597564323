# Copyright (c) mmxkd contributors. All rights reserved.
"""PrecomputedTeacher: batches the packed features; its classifier is
loaded only for logit distillation."""
import numpy as np
import pytest
import torch

import mmxkd
from mmxkd.registry import MODELS
from .._student import LABELS, TEACHER_DIM, make_batch

mmxkd.register_all_modules()


def build_teacher(**kwargs):
    return MODELS.build(
        dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM, **kwargs))


def test_stacks_features():
    inputs, samples = make_batch()
    feats = build_teacher()(inputs, samples)
    assert feats.dtype == torch.float32
    assert tuple(feats.shape) == (len(LABELS), TEACHER_DIM)
    for row, sample in zip(feats, samples):
        torch.testing.assert_close(row, torch.from_numpy(sample.teacher_feat))


def test_wrong_size_raises_with_the_clip():
    inputs, samples = make_batch()
    samples[2].set_field(np.zeros(TEACHER_DIM + 1, 'float32'), 'teacher_feat')
    with pytest.raises(ValueError, match='feat_dim') as err:
        build_teacher()(inputs, samples)
    assert 'clip_2.mp4' in str(err.value)


def test_missing_field_raises_with_the_clip():
    inputs, samples = make_batch()
    del samples[1].teacher_feat
    with pytest.raises(KeyError, match='teacher_feat') as err:
        build_teacher()(inputs, samples)
    assert 'clip_1.mp4' in str(err.value)


def test_needs_samples():
    with pytest.raises(ValueError, match='needs data samples'):
        build_teacher()(torch.zeros(1), [])


def test_classifier_is_loaded_only_when_asked(tmp_path):
    missing = str(tmp_path / 'missing.pth')
    teacher = build_teacher(classifier=dict(checkpoint=missing))
    assert teacher.classifier is None  # nothing read at build
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        teacher.check_classifier()
    with pytest.raises(ValueError, match='model.teacher.classifier'):
        build_teacher().check_classifier()
    # the dataset base's teacher_checkpoint = None
    with pytest.raises(ValueError,
                       match=r'model\.teacher\.classifier\.checkpoint '
                       r'is None: set teacher_checkpoint'):
        build_teacher(classifier=dict(checkpoint=None)).check_classifier()
    checkpoint = str(tmp_path / 'teacher.pth')
    weight = torch.randn(5, TEACHER_DIM)
    torch.save(dict(state_dict={'cls_head.fc_cls.weight': weight}),
               checkpoint)
    teacher = build_teacher(classifier=dict(checkpoint=checkpoint))
    teacher.check_classifier()  # the number of classes is the checkpoint's
    feats = torch.randn(2, TEACHER_DIM)
    torch.testing.assert_close(teacher.classify(feats), feats @ weight.t())
