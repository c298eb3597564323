# Copyright (c) mmxkd contributors. All rights reserved.
"""Scopes: mmxkd's registries resolve MMAction2 and MMPretrain types, and a
config in MMAction2's scope finds ours through custom_imports."""
import sys

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.registry import DefaultScope

import mmxkd
from mmxkd.registry import MODELS
from .conftest import data_options, run_tool


def test_mmxkd_scope_resolves_parents_and_mmpretrain():
    mmxkd.register_all_modules(init_default_scope=False)
    assert MODELS.get('CrossModalDistiller').__module__.startswith('mmxkd')
    assert MODELS.get('Recognizer3D').__module__.startswith('mmaction')
    assert MODELS.get('mmpretrain.ResNet').__module__.startswith('mmpretrain')


def test_student_with_mmpretrain_backbone():
    """A Recognizer2D with an MMPretrain backbone as the student (4-D
    feature maps over segments)."""
    cfg = dict(
        type='mmxkd.CrossModalDistiller',  # in MMAction2's default scope
        student=dict(
            type='Recognizer2D',
            backbone=dict(type='mmpretrain.ResNet', depth=18,
                          out_indices=(3, )),
            cls_head=dict(type='TSNHead', num_classes=3, in_channels=512),
            data_preprocessor=dict(
                type='ActionDataPreprocessor', format_shape='NCHW')),
        teacher=dict(type='PrecomputedTeacher', feat_dim=8),
        heads=dict(mnf_csc=dict(type='MNFCSCHead', loss_gate=None)))
    with DefaultScope.overwrite_default_scope('mmaction'):
        model = MODELS.build(cfg)
    samples = []
    for label in (0, 1, 2, 0):
        sample = ActionDataSample().set_gt_label(label)
        sample.set_field(np.random.rand(8).astype(np.float32), 'teacher_feat')
        samples.append(sample)
    inputs = torch.rand(4, 2, 3, 32, 32)  # 2 segments per clip
    losses = model(inputs, samples, mode='loss')
    assert {'loss_cls_v', 'loss_csc', 'loss_cls_n', 'loss_tri'} <= set(losses)
    # the MNF's sizes come from the student's head and the teacher
    mnf = model.distill_heads['mnf_csc'].mnf
    assert (mnf.student_dim, mnf.teacher_dim) == (512, 8)
    assert all(torch.isfinite(v).all() for v in losses.values())


MMACTION_SCOPE_CFG = '''
_base_ = ['{root}/configs/mnf_csc/mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-20e_synthetic-av.py']
default_scope = 'mmaction'
custom_imports = dict(imports=['mmxkd'], allow_failed_imports=False)
model = dict(type='mmxkd.CrossModalDistiller')
train_dataloader = dict(dataset=dict(
    type='mmxkd.AudioVisualDataset',
    pipeline=[
        dict(type='DecordInit'),
        dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(48, 48), keep_ratio=False),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='mmxkd.LoadTeacherFeature'),
        dict(type='PackActionInputs', algorithm_keys=('teacher_feat', )),
    ]))
val_dataloader = dict(dataset=dict(type='VideoDataset'))
test_dataloader = val_dataloader
'''


@pytest.mark.integration
def test_mmaction_scope_config_trains(synthetic_data, tmp_path):
    from .conftest import ROOT
    config = tmp_path / 'mmaction_scope.py'
    config.write_text(MMACTION_SCOPE_CFG.format(root=ROOT))
    proc = run_tool([
        sys.executable, 'tools/train.py', str(config), '--work-dir',
        str(tmp_path / 'run'), '--cfg-options', 'train_cfg.max_epochs=1'
    ] + data_options(synthetic_data))
    log = proc.stdout + proc.stderr
    assert "default_scope = 'mmaction'" in log
    assert 'loss_csc' in log and 'Epoch(val) [1]' in log
