# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/test.py fails on a checkpoint that lacks the model's weights,
unless --allow-partial-checkpoint lets a partial one through."""
import os.path as osp
import re
import sys

import pytest
import torch
from mmengine.runner.checkpoint import _load_checkpoint
from torch import nn

from mmxkd.apis.checkpoint_check import (CheckpointMismatch,
                                         check_test_checkpoint,
                                         match_state_dict)
from ..conftest import DISTILL_CFG, data_options, run_tool

METRIC = re.compile(r'Epoch\(test\) \[\d+/\d+\].*acc/top1: \d\.\d{4}')


def _test(checkpoint: str, synthetic_data: str, tmp_path, *flags: str):
    return run_tool([
        sys.executable, 'tools/test.py', DISTILL_CFG, checkpoint,
        '--work-dir', str(tmp_path / 'test'), *flags, '--cfg-options'
    ] + data_options(synthetic_data), check=False)


@pytest.mark.integration
def test_checkpoint_of_another_model_fails(trained_teacher, synthetic_data,
                                           tmp_path):
    proc = _test(trained_teacher, synthetic_data, tmp_path)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    found = re.search(
        rf'checkpoint {re.escape(trained_teacher)} lacks (\d+) of the (\d+) '
        r'weights of the student, has 0 in other shapes and (\d+) extra ones',
        log)
    assert found, log[-3000:]
    lacks, required, extra = map(int, found.groups())
    assert lacks == required > 0 and extra > 0
    assert '--allow-partial-checkpoint' in log
    assert not METRIC.search(log)


@pytest.mark.integration
def test_genuine_checkpoint_passes(tested_distiller):
    proc = tested_distiller  # tools/test.py on the trained checkpoint
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert METRIC.search(log) and 'lacks' not in log


@pytest.mark.integration
def test_partial_checkpoint_needs_the_flag(trained_distiller, synthetic_data,
                                           tmp_path):
    checkpoint = _load_checkpoint(
        osp.join(trained_distiller, 'epoch_1.pth'), map_location='cpu')
    state_dict = {
        key: value
        for key, value in checkpoint['state_dict'].items()
        if not key.startswith('student.cls_head.')
    }
    partial = str(tmp_path / 'partial.pth')
    torch.save(dict(state_dict=state_dict, meta=dict(epoch=1)), partial)

    refused = _test(partial, synthetic_data, tmp_path)
    log = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert f'checkpoint {partial} lacks 2 of the' in log, log[-3000:]
    assert 'student.cls_head.fc_cls.weight' in log

    allowed = _test(partial, synthetic_data, tmp_path,
                    '--allow-partial-checkpoint')
    log = allowed.stdout + allowed.stderr
    assert allowed.returncode == 0, log[-3000:]
    assert f'checkpoint {partial} lacks 2 of the' in log
    assert 'testing anyway (--allow-partial-checkpoint)' in log
    assert METRIC.search(log)


class _Distiller(nn.Module):

    def __init__(self) -> None:
        super().__init__()
        self.student = nn.Linear(2, 3)
        self.teacher = nn.Linear(4, 2)


def test_match_counts_student_weights_only():
    model = _Distiller()
    state = {
        'module.student.weight': torch.zeros(3, 2),
        'student.bias': torch.zeros(4),
        'extra': torch.zeros(1),
    }
    match = match_state_dict(model, state)
    assert (match.scope, match.required) == ('student', 2)
    assert match.missing == () and match.mismatched == ('student.bias', )
    assert match.unexpected == ('extra', )
    assert not match.complete
    # the teacher's weights are not required
    match = match_state_dict(model, dict(model.student.state_dict()))
    assert match.scope == 'student' and match.missing == (
        'student.weight', 'student.bias')
    assert match_state_dict(
        model, {f'student.{k}': v
                for k, v in model.student.state_dict().items()}).complete


def test_plain_model_needs_all_its_weights(tmp_path):
    model = nn.Linear(2, 3)
    path = str(tmp_path / 'weights.pth')
    torch.save(dict(state_dict=dict(weight=torch.zeros(3, 2))), path)
    with pytest.raises(CheckpointMismatch,
                       match=r'lacks 1 of the 2 weights of the model'):
        check_test_checkpoint(model, path)
    assert check_test_checkpoint(model, path, allow_partial=True).missing == (
        'bias', )
