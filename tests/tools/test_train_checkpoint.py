# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/train.py checks the checkpoint it loads before training: another
model's checkpoint (load_from or --resume) and a truncated one stop it with
the file named; a copied work dir resumes from its own checkpoint."""
import os.path as osp
import shutil
import sys

import pytest

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


def _train(synthetic_data, work_dir, *args):
    return run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir',
        str(work_dir), *args, '--cfg-options', 'train_cfg.max_epochs=2'
    ] + data_options(synthetic_data), check=False)


@pytest.mark.parametrize('how', ['resume', 'load_from'])
def test_another_models_checkpoint_is_refused(trained_teacher,
                                              synthetic_data, tmp_path, how):
    if how == 'resume':
        proc = _train(synthetic_data, tmp_path / 'run', '--resume',
                      trained_teacher)
    else:
        proc = run_tool([
            sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir',
            str(tmp_path / 'run'), '--cfg-options', 'train_cfg.max_epochs=1',
            f'load_from={trained_teacher}'
        ] + data_options(synthetic_data), check=False)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f'checkpoint {trained_teacher} lacks' in log
    if how == 'resume':
        assert 'of the model' in log and '--resume continues' in log
    else:
        assert 'of the student' in log
        assert '--allow-partial-checkpoint to train with' in log
    assert 'Epoch(train)' not in log


def test_truncated_checkpoint_is_named(trained_distiller, synthetic_data,
                                       tmp_path):
    work_dir = tmp_path / 'run'
    shutil.copytree(trained_distiller, work_dir)
    checkpoint = str(work_dir / 'epoch_1.pth')
    with open(checkpoint, 'rb') as f:
        data = f.read()
    with open(checkpoint, 'wb') as f:
        f.write(data[:len(data) // 3])
    proc = _train(synthetic_data, work_dir, '--resume')
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f'checkpoint {checkpoint} cannot be read: it is truncated' in log


def test_copied_work_dir_resumes_from_its_own_checkpoint(
        trained_distiller, resumed_distiller):
    # a copy of the run, resumed with --resume to max_epochs=2 (conftest)
    work_dir = resumed_distiller['work_dir']
    assert osp.dirname(resumed_distiller['copied_last']) == trained_distiller
    proc = resumed_distiller['proc']
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert (f'outside this work dir (a copied run?): resuming from '
            f'{work_dir}/epoch_1.pth') in log
    assert 'resumed epoch: 1' in log
    assert osp.isfile(osp.join(work_dir, 'epoch_2.pth'))
    assert not osp.exists(osp.join(trained_distiller, 'epoch_2.pth'))
