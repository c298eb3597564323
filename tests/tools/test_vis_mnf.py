# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/visualizations/vis_mnf.py on a trained MNF + CSC distiller."""
import os.path as osp
import sys

import cv2
import pytest

from ..conftest import DISTILL_CFG, STUDENT_CFG, data_options, run_tool

pytestmark = pytest.mark.integration

TOOL = 'tools/visualizations/vis_mnf.py'


def printed(stdout: str) -> list:
    """The PNG paths the tool printed (MMEngine logs to stdout too)."""
    return [line for line in stdout.splitlines() if line.endswith('.png')]


def test_writes_one_readable_png_per_clip(trained_distiller, synthetic_data,
                                          tmp_path):
    checkpoint = osp.join(trained_distiller, 'epoch_1.pth')
    out_dir = tmp_path / 'pictures'
    proc = run_tool([
        sys.executable, TOOL, DISTILL_CFG, checkpoint, '--out-dir',
        str(out_dir), '--clips', '2', '--cfg-options'
    ] + data_options(synthetic_data))
    expected = [str(out_dir / f'clip_0000{i}.png') for i in (0, 1)]
    assert printed(proc.stdout) == expected
    assert sorted(p.name for p in out_dir.iterdir()) == [
        'clip_00000.png', 'clip_00001.png'
    ]
    for path in expected:
        image = cv2.imread(path)
        assert image is not None and image.ndim == 3
        assert image.shape[1] > image.shape[0] > 100 and image.std() > 0

    named = run_tool([
        sys.executable, TOOL, DISTILL_CFG, checkpoint, '--out-dir',
        str(out_dir), '--clips', 'train/clip_00005.mp4', 'clip_00003',
        '--dpi', '50', '--cfg-options'
    ] + data_options(synthetic_data))
    assert printed(named.stdout) == [
        str(out_dir / 'clip_00005.png'),
        str(out_dir / 'clip_00003.png')
    ]
    small = cv2.imread(str(out_dir / 'clip_00005.png'))
    assert small.shape[1] == cv2.imread(expected[0]).shape[1] // 2


def test_a_model_without_mnf_fails_clearly(trained_distiller, synthetic_data,
                                           tmp_path):
    proc = run_tool([
        sys.executable, TOOL, STUDENT_CFG,
        osp.join(trained_distiller, 'epoch_1.pth'), '--out-dir',
        str(tmp_path / 'pictures'), '--cfg-options'
    ] + data_options(synthetic_data), check=False)
    assert proc.returncode != 0
    assert 'need an MNFCSCHead in model.distill_heads, got no heads' in \
        proc.stderr
    assert not (tmp_path / 'pictures').exists()
