# Copyright (c) mmxkd contributors. All rights reserved.
"""Every checkpoint loads weights-only, wherever it lies: MMEngine's own
training state through an allowlist, a code-executing file is refused by
every tool that loads checkpoints, inside a real run directory too."""
import builtins
import os
import os.path as osp
import pickle
import shutil
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

import mmxkd  # noqa: F401
from mmxkd.compat import CheckpointRefused, CheckpointUnreadable
from mmxkd.models.teachers.teacher_classifier import load_teacher_classifier
from mmxkd.visualization.mnf_pictures import build_distiller
from ..conftest import DISTILL_CFG, ROOT, data_options, run_tool

LIVE_CFG = osp.join(
    ROOT, 'configs/mnf_csc/'
    'mnf-csc_r2plus1d-tiny_tsn-audio-r18-live_1xb8-20e_synthetic-av.py')
REFUSAL = 'mmxkd loads checkpoints weights-only only'


class _Payload:
    """Creates ``marker`` when unpickled."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (builtins.exec, (f'open({self.marker!r}, "w").close()', ))


class _Getattr:
    """Unpickles as ``getattr(HistoryBuffer, 'update')``."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, 'update'))


def _save_code_executing(path: str, marker: str, like: str) -> None:
    """A checkpoint shaped as the run's ``like`` with the payload in meta."""
    checkpoint = _load_checkpoint(like, map_location='cpu')
    checkpoint['meta']['note'] = _Payload(marker)
    torch.save(checkpoint, path)


@pytest.fixture
def run_dir(trained_distiller, tmp_path) -> str:
    """A copy of a real tools/train.py run directory."""
    path = str(tmp_path / 'run')
    shutil.copytree(trained_distiller, path)
    assert osp.isfile(osp.join(path, 'last_checkpoint'))
    return path


@pytest.fixture(params=['inside', 'symlinked'])
def planted(request, run_dir, tmp_path) -> dict:
    """A code-executing checkpoint that ``last_checkpoint`` of the run
    names: written into the run dir, or symlinked into it from elsewhere."""
    marker = str(tmp_path / 'PWNED')
    evil = osp.join(run_dir, 'epoch_2.pth')
    if request.param == 'inside':
        target = evil
    else:
        target = str(tmp_path / 'downloads' / 'model.pth')
        os.makedirs(osp.dirname(target))
        os.symlink(target, evil)
    _save_code_executing(target, marker, osp.join(run_dir, 'epoch_1.pth'))
    with open(osp.join(run_dir, 'last_checkpoint'), 'w') as f:
        f.write(evil)
    return dict(run_dir=run_dir, checkpoint=evil, marker=marker)


@pytest.mark.integration
def test_the_payload_runs_when_unpickled(tmp_path, trained_distiller):
    """The planted file really executes code under full unpickling."""
    marker, path = str(tmp_path / 'PWNED'), str(tmp_path / 'evil.pth')
    _save_code_executing(path, marker,
                         osp.join(trained_distiller, 'epoch_1.pth'))
    torch.load(path, weights_only=False)
    assert osp.exists(marker)


def _entry_points(planted: dict, synthetic_data: str, tmp_path) -> dict:
    checkpoint, opts = planted['checkpoint'], data_options(synthetic_data)
    train = [sys.executable, 'tools/train.py', DISTILL_CFG]
    return {
        'resume': train + [
            '--work-dir', planted['run_dir'], '--resume', '--cfg-options',
            'train_cfg.max_epochs=3'
        ] + opts,
        'load_from': train + [
            '--work-dir', str(tmp_path / 'finetune'), '--cfg-options',
            f'load_from={checkpoint}'
        ] + opts,
        'test': [
            sys.executable, 'tools/test.py', DISTILL_CFG, checkpoint,
            '--work-dir', str(tmp_path / 'test'), '--cfg-options'
        ] + opts,
        'live_teacher': [
            sys.executable, 'tools/train.py', LIVE_CFG, '--work-dir',
            str(tmp_path / 'live'), '--cfg-options',
            f'model.teacher.checkpoint={checkpoint}'
        ] + opts,
        'extract_student': [
            sys.executable, 'tools/model_converters/extract_student.py',
            DISTILL_CFG, checkpoint,
            str(tmp_path / 'student.pth')
        ],
    }


@pytest.mark.integration
@pytest.mark.parametrize(
    'entry', ['resume', 'load_from', 'test', 'live_teacher',
              'extract_student'])
def test_code_executing_checkpoint_is_refused(entry, planted, synthetic_data,
                                              tmp_path):
    args = _entry_points(planted, synthetic_data, tmp_path)[entry]
    proc = run_tool(args, check=False)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0, log[-3000:]
    assert not osp.exists(planted['marker'])
    assert REFUSAL in log, log[-3000:]
    assert f'checkpoint {planted["checkpoint"]} was refused' in log
    assert 'torch refused: Unsupported global: GLOBAL exec' in log


@pytest.mark.integration
def test_own_run_resumes_weights_only(resumed_distiller):
    """The project's own checkpoints load weights-only: --resume goes on
    from epoch 1 to epoch 2 of a copy of a real run."""
    run_dir, proc = resumed_distiller['work_dir'], resumed_distiller['proc']
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert 'resumed epoch: 1' in log and 'Epoch(train) [2]' in log
    checkpoint = _load_checkpoint(osp.join(run_dir, 'epoch_2.pth'))
    assert checkpoint['meta']['epoch'] == 2


@pytest.mark.integration
def test_run_checkpoint_loads_weights_only(trained_distiller, monkeypatch):
    calls = []
    real_load = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs.get('weights_only'))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, 'load', spy)
    checkpoint = _load_checkpoint(
        osp.join(trained_distiller, 'epoch_1.pth'), map_location='cpu')
    assert calls == [True]
    assert checkpoint['meta']['epoch'] == 1
    assert 'optimizer' in checkpoint and 'param_schedulers' in checkpoint
    buffer = checkpoint['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.statistics('mean') == buffer.mean()


def test_plain_containers_load(tmp_path):
    """State such as random-number-generator states: tensors, lists of
    ints and floats, tuples, nested dicts."""
    path = str(tmp_path / 'plain.pth')
    state = dict(
        state_dict=dict(w=torch.ones(2)),
        meta=dict(
            epoch=1,
            rng=dict(torch=torch.get_rng_state(),
                     python=[3, (1, 2, 3), None],
                     numpy=['MT19937', [1, 2, 3], 0, 0, 0.5])))
    torch.save(state, path)
    checkpoint = _load_checkpoint(path, map_location='cpu')
    assert checkpoint['meta']['rng']['python'] == [3, (1, 2, 3), None]
    assert torch.equal(checkpoint['meta']['rng']['torch'],
                       state['meta']['rng']['torch'])


def test_getattr_only_for_history_buffer_statistics(tmp_path):
    path = str(tmp_path / 'getattr.pth')
    torch.save(dict(meta=dict(x=_Getattr())), path)
    with pytest.raises(CheckpointRefused) as err:
        _load_checkpoint(path, map_location='cpu')
    assert path in str(err.value) and REFUSAL in str(err.value)
    assert "builtins.getattr on <class" in str(err.value)
    assert "'update'" in str(err.value)


def test_refused_in_process_names_file_and_type(tmp_path):
    marker, path = str(tmp_path / 'PWNED'), str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, meta=dict(x=_Payload(marker))), path)
    with pytest.raises(pickle.UnpicklingError) as err:
        _load_checkpoint(path, map_location='cpu')
    assert isinstance(err.value, CheckpointRefused)
    assert f'checkpoint {path} was refused' in str(err.value)
    assert 'GLOBAL exec' in str(err.value)
    assert not osp.exists(marker)


def test_missing_checkpoint_names_the_path(tmp_path):
    path = str(tmp_path / 'nope.pth')
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        _load_checkpoint(path, map_location='cpu')


@pytest.mark.parametrize('keep', [0, 0.5])
def test_truncated_checkpoint_names_the_file(tmp_path, keep):
    path = str(tmp_path / 'epoch_2.pth')
    torch.save({'state_dict': {'w': torch.ones(1000)}}, path)
    with open(path, 'rb') as f:
        data = f.read()
    with open(path, 'wb') as f:
        f.write(data[:int(len(data) * keep)])
    with pytest.raises(CheckpointUnreadable,
                       match=f'checkpoint {path} cannot be read: it is '
                       'truncated'):
        _load_checkpoint(path, map_location='cpu')


@pytest.mark.integration
def test_teacher_classifier_and_mnf_pictures_refuse(planted):
    """The two remaining load sites, in process: the teacher's classifier
    (logit KD) and the model of the MNF pictures."""
    checkpoint = planted['checkpoint']
    with pytest.raises(CheckpointRefused, match=REFUSAL):
        load_teacher_classifier(checkpoint, feat_dim=512)
    with pytest.raises(CheckpointRefused, match=REFUSAL):
        build_distiller(Config.fromfile(DISTILL_CFG), checkpoint, 'cpu')
    assert not osp.exists(planted['marker'])
