# Copyright (c) mmxkd contributors. All rights reserved.
"""A tiny student recognizer and batches for the model tests."""
from typing import Sequence, Tuple

import numpy as np
import torch
from mmaction.structures import ActionDataSample

NUM_CLASSES = 3
TEACHER_DIM = 16
STUDENT_DIM = 8  # channels of the tiny backbone's last stage
LABELS = (0, 1, 1, 2)
CLIP = (3, 4, 32, 32)  # C, T, H, W


def student_cfg(num_classes: int = NUM_CLASSES) -> dict:
    """A 2-stage ResNet3d with 4/8 channels: (N, 3, 4, 32, 32) ->
    (N, 8, 2, 4, 4), i.e. 32 tokens of 8 channels."""
    return dict(
        type='Recognizer3D',
        backbone=dict(
            type='ResNet3d',
            depth=18,
            pretrained=None,
            pretrained2d=False,
            base_channels=4,
            num_stages=2,
            stage_blocks=(1, 1),
            out_indices=(1, ),
            spatial_strides=(1, 2),
            temporal_strides=(1, 1),
            dilations=(1, 1),
            conv1_kernel=(1, 3, 3),
            pool1_stride_t=1,
            inflate=(0, 0)),
        cls_head=dict(
            type='I3DHead',
            num_classes=num_classes,
            in_channels=STUDENT_DIM,
            dropout_ratio=0.0,  # deterministic loss_cls_v
            average_clips='prob'),
        data_preprocessor=dict(
            type='ActionDataPreprocessor', format_shape='NCTHW'))


def make_batch(labels: Sequence = LABELS,
               num_clips: int = 1,
               seed: int = 0,
               teacher: bool = True,
               teacher_dim: int = TEACHER_DIM,
               sample_idx: bool = False) -> Tuple[torch.Tensor, list]:
    """Random clips (N, num_clips, C, T, H, W) and their data samples, with
    a random non-negative teacher feature each."""
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.RandomState(seed)
    inputs = torch.randn((len(labels), num_clips) + CLIP, generator=gen)
    samples = []
    for i, label in enumerate(labels):
        sample = ActionDataSample().set_gt_label(label)
        sample.set_metainfo(dict(filename=f'clip_{i}.mp4'))
        if teacher:
            sample.set_field(
                rng.rand(teacher_dim).astype('float32'), 'teacher_feat')
        if sample_idx:
            sample.set_field(i, 'sample_idx')
        samples.append(sample)
    return inputs, samples
