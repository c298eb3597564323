# Copyright (c) mmxkd contributors. All rights reserved.
import os
import os.path as osp
import shutil
import subprocess
import sys
from typing import List

import numpy as np
import pytest
from mmengine.registry import DefaultScope

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DISTILL_CFG = osp.join(
    ROOT, 'configs/mnf_csc/'
    'mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-20e_synthetic-av.py')
STUDENT_CFG = osp.join(
    ROOT, 'configs/student_only/student_r2plus1d-tiny_1xb8-20e_synthetic-av.py')


def run_tool(args: List[str], check: bool = True,
             **kwargs) -> subprocess.CompletedProcess:
    """Run a command from the repository root, as a user would."""
    # shell tools (dist_train.sh) call `python`: the one running the tests
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    env = dict(os.environ, PYTHONUNBUFFERED='1', PATH=path)
    proc = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if check and proc.returncode != 0:
        raise AssertionError(f'{" ".join(args)} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}')
    return proc


def data_options(root: str, batch_size: int = 4) -> List[str]:
    """--cfg-options that point the synthetic configs at ``root``."""
    videos, feats = f'{root}/videos', f'{root}/teacher_feats'
    opts = [
        f'train_dataloader.dataset.ann_file={root}/train.txt',
        f'train_dataloader.dataset.data_prefix.video={videos}',
        f'train_dataloader.dataset.data_prefix.teacher={feats}',
        f'train_dataloader.batch_size={batch_size}',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
    ]
    for split in ('val', 'test'):
        opts += [
            f'{split}_dataloader.dataset.ann_file={root}/val.txt',
            f'{split}_dataloader.dataset.data_prefix.video={videos}',
            f'{split}_dataloader.num_workers=0',
            f'{split}_dataloader.persistent_workers=False',
        ]
    return opts


# Ten real GRID clips (speaker s1) with their word alignments, committed
# with the tests: tests/data/grid_s1/README.md names them and their licence.
GRID = osp.join(ROOT, 'tests', 'data', 'grid_s1')

TEACHER_CFG = osp.join(
    ROOT, 'configs/audio_teacher/tsn-audio_r18_1xb16-5e_synthetic-av-logmel.py')


@pytest.fixture(scope='session')
def synthetic_data(tmp_path_factory) -> str:
    """16 training and 8 validation clips from the project's generator,
    their log-mel spectrograms (``audio_logmel``) and, for the tests that
    only need some teacher feature, random 512-d ones (``teacher_feats``)."""
    root = str(tmp_path_factory.mktemp('synthetic_av'))
    run_tool([
        sys.executable, 'tools/data/synthetic/generate_synthetic_av.py', root,
        '--num-train', '16', '--num-val', '8'
    ])
    run_tool([
        sys.executable, 'tools/data/build_audio_features.py',
        f'{root}/videos', f'{root}/audio_logmel'
    ])
    rng = np.random.default_rng(0)
    with open(f'{root}/train.txt') as f:
        for line in f:
            stem = line.split()[0][:-len('.mp4')]
            os.makedirs(osp.dirname(f'{root}/teacher_feats/{stem}'),
                        exist_ok=True)
            np.save(f'{root}/teacher_feats/{stem}.npy',
                    rng.random(512).astype(np.float32))
    return root


def audio_options(root: str) -> List[str]:
    """--cfg-options that point the synthetic teacher config at ``root``."""
    opts = ['train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False']
    for split, ann in (('train', 'train'), ('val', 'val'), ('test', 'val')):
        opts += [
            f'{split}_dataloader.dataset.ann_file={root}/{ann}.txt',
            f'{split}_dataloader.dataset.data_prefix.audio={root}/audio_logmel',
            f'{split}_dataloader.num_workers=0',
            f'{split}_dataloader.persistent_workers=False',
        ]
    return opts


@pytest.fixture(scope='session')
def trained_teacher(synthetic_data, tmp_path_factory) -> str:
    """Checkpoint of a one-epoch audio teacher on the synthetic sound."""
    work_dir = str(tmp_path_factory.mktemp('teacher_run'))
    run_tool([
        sys.executable, 'tools/train.py', TEACHER_CFG, '--work-dir', work_dir,
        '--cfg-options', 'train_cfg.max_epochs=1'
    ] + audio_options(synthetic_data))
    return osp.join(work_dir, 'epoch_1.pth')


@pytest.fixture(scope='session')
def trained_distiller(synthetic_data, tmp_path_factory) -> str:
    """Work dir of a one-epoch MNF + CSC run on the synthetic data. Its
    ``MNFHealthHook`` (``custom_hooks.4`` of default_runtime.py) counts any
    gate value within 0.5 of 0.5 as idle, so that the run's log must hold
    its warning (tests/engine/test_mnf_health_hook.py)."""
    work_dir = str(tmp_path_factory.mktemp('distill_run'))
    run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir', work_dir,
        '--cfg-options', 'train_cfg.max_epochs=1',
        'custom_hooks.4.gate_band=0.5'
    ] + data_options(synthetic_data))
    return work_dir


@pytest.fixture(scope='session')
def resumed_distiller(synthetic_data, trained_distiller,
                      tmp_path_factory) -> dict:
    """A copy of the ``trained_distiller`` work dir that tools/train.py
    --resume took on to epoch 2: the copy (``work_dir``), what its
    ``last_checkpoint`` named before the resume (``copied_last``) and the
    finished process (``proc``), whatever its exit status."""
    work_dir = str(tmp_path_factory.mktemp('distill_resumed') / 'copy')
    shutil.copytree(trained_distiller, work_dir)
    assert osp.isfile(osp.join(work_dir, 'last_checkpoint'))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        copied_last = f.read().strip()
    proc = run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir', work_dir,
        '--resume', '--cfg-options', 'train_cfg.max_epochs=2'
    ] + data_options(synthetic_data), check=False)
    return dict(work_dir=work_dir, copied_last=copied_last, proc=proc)


@pytest.fixture(scope='session')
def tested_distiller(synthetic_data, trained_distiller,
                     tmp_path_factory) -> subprocess.CompletedProcess:
    """tools/test.py on the one-epoch MNF + CSC checkpoint
    (``trained_distiller``) with the synthetic data: the finished process,
    whatever its exit status, for the tests that read its metrics."""
    return run_tool([
        sys.executable, 'tools/test.py', DISTILL_CFG,
        osp.join(trained_distiller, 'epoch_1.pth'), '--work-dir',
        str(tmp_path_factory.mktemp('distill_test')), '--cfg-options'
    ] + data_options(synthetic_data), check=False)


@pytest.fixture(autouse=True)
def mmxkd_default_scope():
    """Each test starts in the mmxkd scope, whatever default scope an
    earlier test's runner or ``init_recognizer`` left current (MMEngine
    keeps the latest ``DefaultScope`` instance process-wide). Tests of
    another scope set it themselves."""
    with DefaultScope.overwrite_default_scope('mmxkd'):
        yield
