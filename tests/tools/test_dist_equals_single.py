# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/dist_train.sh with 2 CPU processes of 4 clips trains as
tools/train.py with 1 process of 8: the first iteration's loss terms
(CSC and CRD on the whole batch, the student's cross-entropy) agree.

Augmentation and dropout are off (SampleFrames in test mode, no random
crop) and the student's BatchNorm uses its running statistics
(``norm_eval``): in training mode its statistics are per rank on CPU
(MMEngine's ``sync_bn`` needs CUDA; the MNF's default ``GlobalBN1d`` gathers
the ranks' batch). A hook
written here records every rank's logged terms of the first iteration.
"""
import json
import os
import os.path as osp
import socket
import sys
from typing import Dict, List

import pytest
from mmengine.config import Config

from ..conftest import DISTILL_CFG, ROOT, data_options, run_tool

pytestmark = pytest.mark.integration

DUMP_HOOK = '''
import json
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmxkd.registry import HOOKS


@HOOKS.register_module()
class FirstIterDumpHook(Hook):
    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if batch_idx:
            return
        record = {k: float(v) for k, v in outputs.items()}
        record['sample_idx'] = sorted(
            int(s.sample_idx) for s in data_batch['data_samples'])
        with open(f'{runner.work_dir}/iter1_rank{get_rank()}.json', 'w') as f:
            json.dump(record, f)
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _config(tmp_path) -> str:
    """The synthetic MNF + CSC config with CSC and CRD heads, deterministic,
    one epoch without validation, and the dump hook."""
    (tmp_path / '_first_iter_dump.py').write_text(DUMP_HOOK)
    cfg = Config.fromfile(DISTILL_CFG)
    cfg.custom_hooks = cfg.custom_hooks + [dict(type='FirstIterDumpHook')]
    cfg.model.heads = dict(
        csc=dict(type='CSCHead'),
        crd=dict(
            type='CRDHead', loss_crd=dict(type='CRDLoss', num_negatives=64)))
    cfg.model.student.backbone.norm_eval = True
    cfg.model.student.cls_head.dropout_ratio = 0.0
    pipeline = []
    for step in cfg.train_dataloader.dataset.pipeline:
        if step['type'] == 'RandomResizedCrop':
            continue
        if step['type'] == 'SampleFrames':
            step = dict(step, test_mode=True)
        pipeline.append(step)
    cfg.train_dataloader.dataset.pipeline = pipeline
    cfg.train_cfg = dict(
        type='EpochBasedTrainLoop', max_epochs=1, val_begin=2)
    cfg.custom_imports.imports = ['mmxkd', '_first_iter_dump']
    path = str(tmp_path / 'dist_equals_single.py')
    cfg.dump(path)
    return path


def _first_iteration(work_dir: str, ranks: int) -> List[Dict]:
    return [
        json.load(open(osp.join(work_dir, f'iter1_rank{rank}.json')))
        for rank in range(ranks)
    ]


def test_two_processes_of_four_equal_one_of_eight(synthetic_data, tmp_path):
    cfg = _config(tmp_path)
    # the working tree's mmxkd, and the dump hook's module
    env = ['env', f'PYTHONPATH={ROOT}{os.pathsep}{tmp_path}']
    single, dist = str(tmp_path / 'single'), str(tmp_path / 'dist')
    run_tool(env + [
        sys.executable, 'tools/train.py', cfg, '--work-dir', single,
        '--cfg-options'
    ] + data_options(synthetic_data, batch_size=8), timeout=600)
    log = run_tool(env + [
        f'PORT={_free_port()}', 'bash', 'tools/dist_train.sh', cfg, '2',
        '--work-dir', dist, '--cfg-options'
    ] + data_options(synthetic_data, batch_size=4), timeout=600)
    assert 'Distributed training: True' in log.stdout + log.stderr

    (one, ) = _first_iteration(single, 1)
    two = _first_iteration(dist, 2)
    # the same 8 clips, 4 on each rank
    assert one['sample_idx'] == sorted(two[0]['sample_idx'] +
                                       two[1]['sample_idx'])
    assert len(two[0]['sample_idx']) == 4
    terms = [key for key in one if key.startswith('loss')]
    assert {'loss', 'loss_cls_v', 'loss_csc', 'loss_crd'} <= set(terms)
    for key in terms:
        print(f'{key}: 1x8 {one[key]:.6f}, 2x4 mean {(two[0][key] + two[1][key]) / 2:.6f} (ranks {two[0][key]:.6f}, {two[1][key]:.6f})')  # noqa: E501
        assert (two[0][key] + two[1][key]) / 2 == pytest.approx(
            one[key], rel=1e-4), key


def test_a_last_batch_of_one_stops_before_training(synthetic_data, tmp_path):
    """16 clips over 2 processes with batch_size=7 and drop_last=False: the
    last batch of each process holds 1 clip, which the MNF's BatchNorm with
    per-process statistics (``BN1d``) cannot train on; LastBatchSizeHook
    says so before the first iteration. (The default ``GlobalBN1d`` would
    normalise the 2 clips of both processes.)"""
    cfg = Config.fromfile(DISTILL_CFG)
    cfg.custom_hooks = cfg.custom_hooks + [
        dict(type='mmxkd.LastBatchSizeHook')
    ]
    path = str(tmp_path / 'last_batch.py')
    cfg.dump(path)
    proc = run_tool([
        'env', f'PORT={_free_port()}', 'bash', 'tools/dist_train.sh', path,
        '2', '--work-dir', str(tmp_path / 'run'), '--cfg-options'
    ] + data_options(synthetic_data, batch_size=7) + [
        'train_dataloader.drop_last=False',
        'model.heads.mnf_csc.mnf.norm_cfg.type=BN1d'
    ],
                    check=False,
                    timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert ('the smallest training batch per process (8 of the 16 clips on '
            'each of 2 processes, batch_size=7, drop_last=False) holds 1 '
            'clip') in log
    assert 'train_dataloader.drop_last=True' in log
    assert 'Epoch(train)' not in log
