# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.visualization.mnf: what the MNF pictures show (attention on the
token grid, gate, un-normalised frames) and how they are drawn."""
import cv2
import numpy as np
import pytest
import torch
import torch.nn as nn
from mmaction.structures import ActionDataSample
from mmengine.config import Config

import mmxkd
from mmxkd.registry import MODELS
from mmxkd.visualization import (MNFClip, build_mnf_dataset, clip_stem,
                                 draw_mnf_clip, find_mnf_head, mnf_clips,
                                 mnf_pipeline, mnf_title, select_clips,
                                 temporal_token)
from ..conftest import DISTILL_CFG, ROOT
from ..models._student import student_cfg as tiny_student_cfg

mmxkd.register_all_modules()

TEACHER_DIM = 16
MEAN, STD = (100.0, 110.0, 120.0), (50.0, 60.0, 70.0)
CLIP = (3, 4, 32, 48)  # C, T, H, W -> student map (8, 2, 4, 6)


def student_cfg() -> dict:
    """The models' tiny student, normalising with MEAN / STD."""
    cfg = tiny_student_cfg()
    cfg['data_preprocessor'].update(mean=MEAN, std=STD)
    return cfg


def build(heads: dict) -> nn.Module:
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='CrossModalDistiller',
            student=student_cfg(),
            teacher=dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM),
            heads=heads))


MNF_HEAD = dict(type='MNFCSCHead', mnf=dict(type='ModalityNoiseFilter'))


def make_batch(labels=(0, 1, 2)) -> dict:
    """uint8 clips (1, C, T, H, W) with labels and teacher features, as a
    dataloader collates them."""
    gen = torch.Generator().manual_seed(0)
    rng = np.random.RandomState(0)
    inputs, samples = [], []
    for label in labels:
        inputs.append(
            torch.randint(0, 256, (1, ) + CLIP, generator=gen,
                          dtype=torch.uint8))
        sample = ActionDataSample().set_gt_label(label)
        sample.set_field(
            rng.rand(TEACHER_DIM).astype('float32'), 'teacher_feat')
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def names(batch: dict) -> list:
    return [f'train/clip_{i}.mp4' for i in range(len(batch['inputs']))]


def test_attention_on_the_token_grid_and_gate_equal_the_mnf():
    model = build(dict(mnf_csc=MNF_HEAD)).train()
    batch = make_batch()
    clips = mnf_clips(model, batch, names(batch))
    assert model.training  # the mode is restored

    model.eval()
    with torch.no_grad():
        data = model.data_preprocessor(batch, training=False)
        inputs, samples = data['inputs'], data['data_samples']
        _, distill_inputs = model.student_step(inputs, samples)
        feats, _ = model.run_teachers(inputs, samples)
        out = model.distill_heads['mnf_csc'].mnf(feats['teacher'],
                                                 distill_inputs.tokens)
        grid = model.student.extract_feat(inputs)[0].shape[2:]
    assert tuple(grid) == (2, 4, 6)
    expected = out['attention'].view(len(samples), *grid).numpy()
    assert len(clips) == 3
    for i, clip in enumerate(clips):
        assert clip.name == f'train/clip_{i}.mp4' and clip.label == str(i)
        assert clip.attention.shape == (2, 4, 6)
        np.testing.assert_allclose(clip.attention, expected[i], rtol=1e-5)
        assert clip.attention.sum() == pytest.approx(1, abs=1e-5)
        # not constant, so a transposed grid would not pass
        assert clip.attention.std() > 0
        np.testing.assert_allclose(clip.gate, out['gate'][i].numpy(),
                                   rtol=1e-5)


def test_frames_are_un_normalised():
    model = build(dict(mnf_csc=MNF_HEAD))
    batch = make_batch()
    clips = mnf_clips(model, batch, names(batch))
    for clip, raw in zip(clips, batch['inputs']):
        assert clip.frames.dtype == np.uint8
        assert clip.frames.shape == (4, 32, 48, 3)  # T, H, W, 3
        np.testing.assert_array_equal(clip.frames,
                                      raw[0].permute(1, 2, 3, 0).numpy())


def test_named_head_and_errors_without_an_mnf_head():
    csc = dict(type='CSCHead', loss_csc=dict(type='CSCLoss'))
    model = build(dict(csc=csc, second=MNF_HEAD))
    assert find_mnf_head(model)[0] == 'second'
    assert find_mnf_head(model, 'second')[0] == 'second'
    with pytest.raises(ValueError, match='csc is a CSCHead, not an MNFCSC'):
        find_mnf_head(model, 'csc')
    with pytest.raises(ValueError, match='no head "mnf"'):
        find_mnf_head(model, 'mnf')
    with pytest.raises(ValueError, match='need an MNFCSCHead'):
        batch = make_batch()
        mnf_clips(build(dict(csc=csc)), batch,
                  names(batch))
    with pytest.raises(ValueError, match="got no heads"):
        find_mnf_head(build({}))
    with pytest.raises(TypeError, match='need a CrossModalDistiller'):
        find_mnf_head(nn.Linear(2, 2))


def clip(grid=(2, 4, 6), frames=4, dim=TEACHER_DIM) -> MNFClip:
    rng = np.random.RandomState(0)
    attention = rng.rand(*grid)
    return MNFClip(
        name='train/clip_00003.mp4',
        label='2',
        frames=rng.randint(0, 256, (frames, 32, 48, 3)).astype(np.uint8),
        attention=attention / attention.sum(),
        gate=rng.rand(dim))


def test_draw_returns_rgb_and_writes_the_same_png(tmp_path):
    out_file = tmp_path / 'sub' / 'clip_00003.png'
    image = draw_mnf_clip(clip(), str(out_file))
    assert image.dtype == np.uint8 and image.ndim == 3
    assert image.shape[2] == 3 and image.shape[1] > image.shape[0]
    assert image.std() > 0  # something is drawn
    written = cv2.imread(str(out_file), cv2.IMREAD_UNCHANGED)
    assert written is not None
    np.testing.assert_array_equal(written[..., 2::-1], image)
    # one frame per temporal slot: more frames, a wider picture
    assert draw_mnf_clip(clip(frames=8)).shape[1] > image.shape[1]


def test_frames_split_evenly_over_the_temporal_tokens():
    assert [temporal_token(t, 8, 2) for t in range(8)] == [0] * 4 + [1] * 4
    assert [temporal_token(t, 8, 1) for t in range(8)] == [0] * 8
    assert [temporal_token(t, 4, 4) for t in range(4)] == [0, 1, 2, 3]
    assert clip_stem('train/clip_00003.mp4') == 'clip_00003'


def test_title_names_the_clip_and_says_when_attention_cannot_select():
    many = mnf_title(clip())
    assert 'train/clip_00003.mp4' in many and 'label 2' in many
    assert 'L = 48 tokens (2x4x6)' in many
    assert 'cannot select' not in many
    single = clip(grid=(1, 1, 1))
    assert 'L = 1 token: attention cannot select' in mnf_title(single)
    assert draw_mnf_clip(single).dtype == np.uint8


def test_pipeline_is_deterministic_and_loads_the_teacher():
    cfg = Config.fromfile(DISTILL_CFG)
    types = [step['type'] for step in mnf_pipeline(cfg)]
    assert types == [
        'DecordInit', 'SampleFrames', 'DecordDecode', 'Resize',
        'FormatShape', 'LoadTeacherFeature', 'PackActionInputs'
    ]
    assert mnf_pipeline(cfg)[1]['test_mode']
    assert mnf_pipeline(cfg)[-1]['algorithm_keys'] == ('teacher_feat', 'sample_idx')
    live = Config.fromfile(
        f'{ROOT}/configs/mnf_csc/'
        'mnf-csc_r2plus1d-tiny_tsn-audio-r18-live_1xb8-20e_synthetic-av.py')
    assert [step['type'] for step in mnf_pipeline(live)][-3:] == [
        'LoadAudioSpectrogram', 'SpectrogramWindow', 'PackActionInputs'
    ]


def test_a_split_without_teacher_features_fails_clearly():
    cfg = Config.fromfile(DISTILL_CFG)
    with pytest.raises(ValueError, match='set val_dataloader.dataset.'
                       'data_prefix.teacher'):
        build_mnf_dataset(cfg, 'val')
    with pytest.raises(ValueError, match='split must be one of'):
        build_mnf_dataset(cfg, 'training')


class _Clips:
    """A dataset's data infos."""

    def __init__(self, relpaths):
        self.relpaths = relpaths

    def __len__(self) -> int:
        return len(self.relpaths)

    def get_data_info(self, i: int) -> dict:
        return dict(relpath=self.relpaths[i])


def test_select_clips():
    clips = _Clips(['train/a.mp4', 'train/b.mp4', 'val/b.mp4'])
    assert select_clips(clips, 2) == [0, 1]
    assert select_clips(clips, 10) == [0, 1, 2]
    assert select_clips(clips, ['val/b.mp4', 'a', 'a.mp4']) == [2, 0, 0]
    with pytest.raises(ValueError, match='"b" matches 2 clips'):
        select_clips(clips, ['b'])
    with pytest.raises(ValueError, match='"c" matches 0 clips'):
        select_clips(clips, ['c'])
    with pytest.raises(ValueError, match='>= 1'):
        select_clips(clips, 0)
