# Copyright (c) mmxkd contributors. All rights reserved.
"""IrrelevantSoundDataset: which clips read the altered sound, what they
carry, and the errors that name a missing or mismatched altered file."""
import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample

from mmxkd.engine.runner.retrieval_loop import _unwrapped
from mmxkd.registry import DATASETS
from ..test_audio_visual_dataset import _sound_dataset, feature, write_feat


def altered(tmp_path, num, dim=None):
    """The altered teacher features of clips ``c0 .. c<num-1>``."""
    root = tmp_path / 'noise_feats'
    for i in range(num):
        write_feat(root, f'c{i}.npy',
                   feature(100 + i) if dim is None else np.ones(dim))
    return str(root)


def wrap(ann, prefix, root, **kwargs):
    inner = dict(type='AudioVisualDataset', ann_file=ann, data_prefix=prefix,
                 pipeline=[], labelled_ratio=0.5)
    cfg = dict(type='IrrelevantSoundDataset', dataset=inner, kind='noise',
               ratio=0.3, sound_prefix=dict(teacher=root))
    cfg.update(kwargs)
    return DATASETS.build(cfg)


def test_a_share_of_the_clips_reads_the_altered_sound(tmp_path):
    ann, prefix = _sound_dataset(tmp_path, [i % 2 for i in range(20)])
    root = altered(tmp_path, 20)
    dataset = wrap(ann, prefix, root)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    changed = [info for info in infos if not info.get('sound_relevant', 1)]
    assert len(changed) == 6 and len(dataset) == 20
    for info in infos:
        own = f"{prefix['teacher']}/{info['relpath'][:-4]}.npy"
        if info in changed:
            assert info['teacher_feat_path'] == \
                f"{root}/{info['relpath'][:-4]}.npy"
            assert info['sound_kind'] == 'noise'
            # the own sound's spectrogram stays: only the teacher's was given
            assert info['audio_path'].startswith(prefix['audio'])
        else:
            assert info['teacher_feat_path'] == own
    # the label-scarce flags of the wrapped dataset stay
    assert sum(info['labelled'] for info in infos) == 10
    again = wrap(ann, prefix, root)
    assert [again.get_data_info(i) for i in range(20)] == infos
    other = wrap(ann, prefix, root, seed=1)
    assert [other.get_data_info(i) for i in range(20)] != infos


def test_packed_samples_carry_the_truth(tmp_path):
    ann, prefix = _sound_dataset(tmp_path, [0, 1, 0, 1])
    inner = dict(type='AudioVisualDataset', ann_file=ann, data_prefix=prefix,
                 pipeline=[dict(type='LoadTeacherFeature'),
                           dict(type='LoadAudioSpectrogram'),
                           dict(type='PackActionInputs',
                                algorithm_keys=('teacher_feat', ))])
    dataset = DATASETS.build(
        dict(type='IrrelevantSoundDataset', dataset=inner, kind='mix',
             ratio=0.5, sound_prefix=dict(teacher=altered(tmp_path, 4))))
    samples = [dataset[i]['data_samples'] for i in range(4)]
    assert all(isinstance(s, ActionDataSample) for s in samples)
    relevant = [s.sound_relevant for s in samples]
    assert sorted(relevant) == [False, False, True, True]
    for i, sample in enumerate(samples):
        expected = feature(100 + i) if not relevant[i] else feature(i)
        np.testing.assert_allclose(
            torch.as_tensor(sample.teacher_feat).numpy(), expected)


def test_missing_or_mismatched_altered_files_are_named(tmp_path):
    ann, prefix = _sound_dataset(tmp_path, [i % 2 for i in range(10)])
    with pytest.raises(ValueError, match='build_irrelevant_sound.py') as err:
        wrap(ann, prefix, str(tmp_path / 'nowhere'))
    assert 'nowhere/c' in str(err.value)
    with pytest.raises(ValueError, match='expected 4'):
        wrap(ann, prefix, altered(tmp_path, 10, dim=5))
    with pytest.raises(ValueError, match='kind must be one of'):
        wrap(ann, prefix, altered(tmp_path, 10), kind='swap')
    with pytest.raises(ValueError, match="data_prefix lacks"):
        wrap(ann, dict(video=prefix['video']), altered(tmp_path, 10))


def test_the_retrieval_gallery_reads_the_wrapped_dataset():
    inner = dict(type='AudioVisualDataset', pipeline=[], ann_file='a.txt')
    assert _unwrapped(dict(type='IrrelevantSoundDataset',
                           dataset=inner)) is inner
    assert _unwrapped(inner) is inner
