# Copyright (c) mmxkd contributors. All rights reserved.
"""AudioVisualDataset's label-scarce switch (``labelled_ratio``): a seeded,
class-stratified choice of the clips that keep their label, the withheld
labels, the flag on the packed samples and the build-time errors."""
from collections import Counter

import numpy as np
import pytest
import torch

from mmxkd.datasets import perturbations
from mmxkd.registry import DATASETS
from .test_audio_visual_dataset import write_feat, write_video

# 3 classes of 8, 4 and 1 clips: 25 % keeps 2, 1 and 1 (at least one each)
LABELS = [0] * 8 + [1] * 4 + [2]


@pytest.fixture
def ann(tmp_path):
    """A list file of ``LABELS`` with a video and a teacher feature each."""
    lines = []
    for i, label in enumerate(LABELS):
        write_video(tmp_path / 'videos', f'c{i}.mp4')
        write_feat(tmp_path / 'feats', f'c{i}.npy', np.full(4, i + 1.0))
        lines.append(f'c{i}.mp4 {label}')
    (tmp_path / 'train.txt').write_text('\n'.join(lines) + '\n')
    return str(tmp_path)


def build(root, pipeline=(), **kwargs):
    return DATASETS.build(
        dict(
            type='AudioVisualDataset',
            ann_file=f'{root}/train.txt',
            data_prefix=dict(video=f'{root}/videos', teacher=f'{root}/feats'),
            pipeline=list(pipeline),
            probe_videos=False,
            **kwargs))


def flags(dataset):
    return [dataset.get_data_info(i)['labelled'] for i in range(len(dataset))]


def test_choice_is_stratified_with_one_per_class_at_least(ann):
    dataset = build(ann, labelled_ratio=0.25)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    kept = Counter(LABELS[i] for i, info in enumerate(infos)
                   if info['labelled'])
    assert kept == {0: 2, 1: 1, 2: 1}
    for i, info in enumerate(infos):
        # an unlabelled clip's label is withheld; its teacher feature stays
        assert info['label'] == (LABELS[i] if info['labelled'] else -1)
        assert info['teacher_feat_path'].endswith(f'c{i}.npy')


def test_choice_is_seeded_and_deterministic(ann):
    first = flags(build(ann, labelled_ratio=0.5, labelled_seed=3))
    # other global seeds (another process, rank or epoch) change nothing
    np.random.seed(123)
    torch.manual_seed(123)
    assert flags(build(ann, labelled_ratio=0.5, labelled_seed=3)) == first
    others = [
        flags(build(ann, labelled_ratio=0.5, labelled_seed=seed))
        for seed in range(4, 8)
    ]
    assert any(other != first for other in others)


def test_full_ratio_changes_nothing(ann):
    dataset = build(ann)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    assert [info['label'] for info in infos] == LABELS
    assert not any('labelled' in info for info in infos)


def test_build_logs_how_many_keep_their_label(ann, monkeypatch):
    messages = []
    monkeypatch.setattr(perturbations, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    build(ann, labelled_ratio=0.25)
    assert any('4 of the 13 training clips' in m and 'keep their label' in m
               for m in messages)


@pytest.mark.parametrize('ratio', [0, -0.1, 1.5])
def test_ratio_outside_the_range_names_the_key(ann, ratio):
    with pytest.raises(ValueError, match=r'labelled_ratio must be in \(0, 1'):
        build(ann, labelled_ratio=ratio)


@pytest.mark.parametrize('kwargs', [
    dict(test_mode=True),
    dict(multi_class=True, num_classes=3),
])
def test_scarce_labels_need_a_single_label_training_set(ann, kwargs):
    with pytest.raises(ValueError, match='labelled_ratio=0.5'):
        build(ann, labelled_ratio=0.5, **kwargs)


def test_flag_is_packed_with_each_sample(ann):
    pipeline = [
        dict(type='DecordInit'),
        dict(type='SampleFrames', clip_len=2, frame_interval=1,
             num_clips=1),
        dict(type='DecordDecode'),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='LoadTeacherFeature'),
        # the pipeline does not list 'labelled': the dataset packs it
        dict(type='PackActionInputs', algorithm_keys=('teacher_feat', )),
    ]
    dataset = build(ann, pipeline, labelled_ratio=0.25)
    for i, labelled in enumerate(flags(dataset)):
        sample = dataset[i]['data_samples']
        assert sample.labelled is labelled
        assert int(sample.gt_label) == (LABELS[i] if labelled else -1)
