# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.apis.cli: the arguments of tools/train.py and tools/test.py and how
they change the config (the tools themselves: tests/tools/test_train_test.py).
"""
import argparse
import os

import pytest
import torch
from mmengine.config import Config

from mmxkd.apis.cli import (add_runner_args, build_test_parser,
                            build_train_parser, merge_test_args,
                            merge_train_args, parse_args)

CONFIG = 'configs/kd/kd_r18_1xb8-15e_grid.py'


def base_cfg() -> Config:
    """A config with what the merges touch."""
    return Config(dict(
        optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='SGD')),
        auto_scale_lr=dict(enable=False, base_batch_size=8),
        val_cfg=dict(type='ValLoop'), val_dataloader=dict(batch_size=1),
        val_evaluator=dict(type='AccMetric'),
        test_evaluator=dict(type='AccMetric')))


def train_cfg(*argv: str) -> Config:
    """``base_cfg()`` merged with ``tools/train.py CONFIG *argv``."""
    return merge_train_args(base_cfg(),
                            build_train_parser().parse_args([CONFIG, *argv]))


def test_work_dir_from_the_config_name_or_the_argument():
    assert train_cfg().work_dir == './work_dirs/kd_r18_1xb8-15e_grid'
    assert train_cfg('--work-dir', 'runs/a').work_dir == 'runs/a'
    cfg = base_cfg()
    cfg.work_dir = 'from_cfg'
    args = build_train_parser().parse_args([CONFIG])
    assert merge_train_args(cfg, args).work_dir == 'from_cfg'


def test_train_arguments():
    cfg = train_cfg('--resume', '--seed', '5', '--deterministic',
                    '--launcher', 'pytorch', '--auto-scale-lr')
    assert cfg.resume is True and cfg.load_from is None
    assert cfg.randomness == dict(seed=5, deterministic=True)
    assert cfg.launcher == 'pytorch' and cfg.auto_scale_lr.enable
    assert train_cfg('--resume', 'a.pth').load_from == 'a.pth'
    cfg = train_cfg('--no-validate')
    assert cfg.val_cfg is None and cfg.val_evaluator is None
    assert 'resume' not in train_cfg()


def test_cfg_options_come_last():
    cfg = train_cfg('--seed', '5', '--cfg-options', 'randomness.seed=7',
                    'optim_wrapper.optimizer.lr=0.5')
    assert cfg.randomness.seed == 7
    assert cfg.optim_wrapper.optimizer == dict(type='SGD', lr=0.5)


def test_amp_and_sync_bn_need_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    with pytest.raises(ValueError, match='--amp needs a CUDA device'):
        train_cfg('--amp')
    with pytest.raises(ValueError, match='sync_bn=.torch. needs CUDA'):
        train_cfg('--cfg-options', 'sync_bn=torch')
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = train_cfg('--amp')
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.loss_scale == 'dynamic'


@pytest.mark.parametrize('dump, metric', [
    ('preds.npz', 'DumpPredictions'),
    ('preds.pkl', 'DumpResults'),  # MMAction2's; mmxkd never reads it
])
def test_test_arguments(dump, metric):
    args = build_test_parser().parse_args(
        [CONFIG, 'ckpt.pth', '--dump', dump, '--cfg-options',
         'load_from=other.pth'])
    cfg = merge_test_args(base_cfg(), args)
    assert cfg.test_evaluator == [
        dict(type='AccMetric'),
        dict(type=metric, out_file_path=dump)]
    assert cfg.load_from == 'other.pth'
    args = build_test_parser().parse_args([CONFIG, 'ckpt.pth'])
    assert merge_test_args(base_cfg(), args).load_from == 'ckpt.pth'
    args = build_test_parser().parse_args(
        [CONFIG, 'ckpt.pth', '--dump', 'preds.json'])
    with pytest.raises(ValueError, match='--dump must end with .npz'):
        merge_test_args(base_cfg(), args)


def test_parse_args_sets_local_rank(monkeypatch):
    parser = argparse.ArgumentParser()
    add_runner_args(parser)
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    args = parse_args(parser, ['--local-rank', '2'])
    assert args.local_rank == 2 and not hasattr(args, 'work_dir')
    assert os.environ['LOCAL_RANK'] == '2'
    monkeypatch.setenv('LOCAL_RANK', '1')
    parse_args(parser, ['--local_rank', '3'])
    assert os.environ['LOCAL_RANK'] == '1'
