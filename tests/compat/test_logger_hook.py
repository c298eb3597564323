# Copyright (c) mmxkd contributors. All rights reserved.
"""Under DDP only rank 0 writes the test metrics JSON (the ranks share its
path); tests/engine/test_retrieval_dist.py checks it through dist_test.sh."""
import json
import logging
import os.path as osp
from types import SimpleNamespace

import pytest
from mmengine.hooks import LoggerHook

import mmxkd  # noqa: F401
from mmxkd.compat import logger_hook


class _LogProcessor:

    def get_log_after_epoch(self, runner, batch_idx, mode, with_non_scalar):
        assert mode == 'test'
        return {'acc/top1': 0.5}, 'Epoch(test) acc/top1: 0.5'


def _runner(log_dir: str) -> SimpleNamespace:
    return SimpleNamespace(
        log_processor=_LogProcessor(), log_dir=log_dir, test_dataloader=[],
        logger=logging.getLogger('test_logger_hook'))


@pytest.mark.parametrize('main', [True, False])
def test_test_log_written_by_main_process_only(tmp_path, monkeypatch, main):
    monkeypatch.setattr(logger_hook, 'is_main_process', lambda: main)
    hook = LoggerHook()
    hook.json_log_path = 'run.json'
    hook.after_test_epoch(_runner(str(tmp_path)))
    path = osp.join(tmp_path, 'run.json')
    assert osp.exists(path) == main
    if main:
        with open(path) as f:
            assert json.load(f) == {'acc/top1': 0.5}
