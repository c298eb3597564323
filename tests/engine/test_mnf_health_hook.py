# Copyright (c) mmxkd contributors. All rights reserved.
import glob
import logging
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MMLogger

from mmxkd.engine.hooks import MNFHealthHook


def run_epoch(hook: MNFHealthHook, iterations: list, epoch: int = 0):
    """Feed one epoch of logged outputs through the hook; return the
    warnings it logged."""
    records = []

    class Collect(logging.Handler):

        def emit(self, record):
            records.append(record.getMessage())

    logger = MMLogger.get_instance('mnf_health_test')
    handler = Collect(level=logging.WARNING)
    logger.addHandler(handler)
    runner = SimpleNamespace(epoch=epoch, logger=logger)
    try:
        hook.before_train_epoch(runner)
        for i, outputs in enumerate(iterations):
            hook.after_train_iter(runner, i, outputs=outputs)
        hook.after_train_epoch(runner)
    finally:
        logger.removeHandler(handler)
    return records


def stats(low, high, tri):
    return dict(
        mnf_gate_min=torch.tensor(low),
        mnf_gate_max=torch.tensor(high),
        loss_tri=torch.tensor(tri))


def test_gate_stuck_at_half_and_triplet_at_zero_warn():
    found = run_epoch(
        MNFHealthHook(), [stats(0.45, 0.55, 0.0),
                          stats(0.42, 0.58, 0.0)], epoch=1)
    assert len(found) == 2
    assert 'epoch 2' in found[0] and '[0.420, 0.580]' in found[0]
    assert 'loss_tri was 0 on all 2 iterations of epoch 2' in found[1]


def test_a_working_mnf_is_quiet():
    # one iteration where the gate leaves the band is enough
    assert run_epoch(MNFHealthHook(), [
        stats(0.45, 0.55, 0.1),
        stats(0.05, 0.93, 0.0)
    ]) == []


def test_band_is_configurable_and_epochs_are_separate():
    hook = MNFHealthHook(gate_band=0.3)
    assert len(run_epoch(hook, [stats(0.25, 0.75, 0.2)])) == 1
    # a new epoch starts from nothing
    assert run_epoch(hook, [stats(0.1, 0.75, 0.2)]) == []


def test_runs_without_mnf_statistics_are_not_checked():
    assert run_epoch(MNFHealthHook(), [dict(loss_cls_v=torch.tensor(1.))]) \
        == []


@pytest.mark.integration
def test_training_logs_the_statistics_and_the_warning(trained_distiller):
    """Through tools/train.py (the conftest run, with a band that every gate
    value falls into): the head's gate range is logged and the hook warns
    after the epoch."""
    logs = glob.glob(osp.join(trained_distiller, '*', '*.log'))
    assert logs
    with open(logs[0]) as f:
        text = f.read()
    assert 'mnf_gate_min' in text and 'mnf_gate_max' in text
    assert 'WARNING - MNFHealthHook: in epoch 1 every gate value stayed in' \
        in text
