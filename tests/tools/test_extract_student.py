# Copyright (c) mmxkd contributors. All rights reserved.
"""The student-only export, loaded and scored by plain MMAction2."""
import os.path as osp
import re
import sys

import mmaction
import numpy as np
import pytest

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration

MMACTION_TEST = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools',
                         'test.py')


def _metrics(output: str) -> str:
    found = re.findall(r'Epoch\(test\) \[\d+/\d+\]\s+(acc/top1: \S+\s+'
                       r'acc/top5: \S+\s+acc/mean1: \S+)', output)
    assert found, output[-3000:]
    return found[-1]


@pytest.fixture(scope='module')
def export(trained_distiller, tmp_path_factory) -> tuple:
    """The student checkpoint and config that extract_student.py writes
    from the one-epoch MNF + CSC run; the tests only read them."""
    out = tmp_path_factory.mktemp('student_export')
    student_ckpt = str(out / 'student.pth')
    student_cfg = str(out / 'student_cfg.py')
    run_tool([
        sys.executable, 'tools/model_converters/extract_student.py',
        DISTILL_CFG, osp.join(trained_distiller, 'epoch_1.pth'), student_ckpt,
        '--out-config', student_cfg
    ])
    return student_ckpt, student_cfg


def test_export_scored_identically_by_mmaction(synthetic_data, export,
                                               tested_distiller, tmp_path):
    student_ckpt, student_cfg = export
    # tensors and plain metadata only: torch's safe loader, no mmxkd
    loaded = run_tool([
        sys.executable, '-c',
        'import sys, torch; c = torch.load(sys.argv[1], weights_only=True); '
        'print(sorted(c), "student.backbone" in str(list(c["state_dict"])))',
        student_ckpt
    ])
    assert loaded.stdout.strip() == "['meta', 'state_dict'] False"

    ours = tested_distiller  # tools/test.py on the distiller's checkpoint
    assert ours.returncode == 0, ours.stdout[-4000:] + ours.stderr[-4000:]
    plain = run_tool([
        sys.executable, MMACTION_TEST, student_cfg, student_ckpt,
        '--work-dir', str(tmp_path / 'plain'), '--cfg-options'
    ] + [o for o in data_options(synthetic_data) if 'teacher' not in o])
    assert _metrics(plain.stdout + plain.stderr) == _metrics(ours.stdout +
                                                              ours.stderr)


def test_init_recognizer_matches_distiller(synthetic_data, trained_distiller,
                                           export):
    from mmaction.apis import inference_recognizer, init_recognizer
    from mmengine.config import Config

    checkpoint = osp.join(trained_distiller, 'epoch_1.pth')
    student_ckpt, student_cfg = export
    video = osp.join(synthetic_data, 'videos', 'val', 'clip_00001.mp4')
    distiller = init_recognizer(Config.fromfile(DISTILL_CFG), checkpoint,
                                'cpu')
    student = init_recognizer(Config.fromfile(student_cfg), student_ckpt,
                              'cpu')
    assert type(student).__name__ == 'Recognizer3D'
    expected = inference_recognizer(distiller, video).pred_score
    got = inference_recognizer(student, video).pred_score
    assert got.shape == (4, )
    np.testing.assert_allclose(got.numpy(), expected.numpy(), atol=1e-6)
