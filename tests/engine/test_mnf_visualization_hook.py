# Copyright (c) mmxkd contributors. All rights reserved.
"""MNFVisualizationHook: MNF pictures of training clips land in the run's
visualizer backends (MMAction2's default LocalVisBackend) at the epochs of
its interval."""
import sys
from types import SimpleNamespace

import cv2
import pytest
import torch.nn as nn

import mmxkd
from mmxkd.engine import MNFVisualizationHook
from ..conftest import DISTILL_CFG, data_options, run_tool

mmxkd.register_all_modules()


@pytest.mark.integration
def test_pictures_land_in_vis_data_at_the_interval(synthetic_data, tmp_path):
    config = tmp_path / 'mnf_vis.py'
    config.write_text(
        f'_base_ = [{DISTILL_CFG!r}]\n'
        'custom_hooks = [\n'
        "    dict(type='TrainSetSizeHook'),\n"
        "    dict(type='MNFVisualizationHook', interval=2, num_clips=2)]\n")
    work_dir = tmp_path / 'run'
    run_tool([
        sys.executable, 'tools/train.py',
        str(config), '--work-dir',
        str(work_dir), '--cfg-options', 'train_cfg.max_epochs=2'
    ] + data_options(synthetic_data))
    images = sorted(work_dir.glob('*/vis_data/vis_image/*.png'))
    # epoch 2 only: the first two training clips (train.txt's order)
    assert [p.name for p in images] == [
        'mnf_clip_00000_2.png', 'mnf_clip_00001_2.png'
    ]
    for path in images:
        image = cv2.imread(str(path))
        assert image is not None and image.shape[1] > image.shape[0] > 100


def test_a_model_without_mnf_fails_before_training():
    hook = MNFVisualizationHook()
    runner = SimpleNamespace(
        model=SimpleNamespace(distill_heads=nn.ModuleDict()))
    with pytest.raises(ValueError, match='need an MNFCSCHead'):
        hook.before_run(runner)


@pytest.mark.parametrize('kwargs', [dict(interval=0), dict(num_clips=0)])
def test_invalid_arguments(kwargs):
    with pytest.raises(ValueError, match='interval >= 1 and num_clips >= 1'):
        MNFVisualizationHook(**kwargs)
