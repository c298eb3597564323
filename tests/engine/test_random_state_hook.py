# Copyright (c) mmxkd contributors. All rights reserved.
"""RandomStateHook: states survive a weights-only checkpoint, every epoch
starts from the state the previous one ended with (validation draws
undone), and only --resume restores a checkpoint's states."""
import io
import random
from types import SimpleNamespace
from typing import List

import numpy as np
import torch

from mmxkd.engine import RandomStateHook
from mmxkd.engine.hooks import get_random_states, set_random_states


def _draw() -> List[float]:
    """One draw from each global generator the hook keeps."""
    return [random.random(), float(np.random.rand()), float(torch.rand(()))]


def _runner(resume: bool,
            num_workers: int = 0,
            persistent_workers: bool = False) -> SimpleNamespace:
    warnings = []
    loader = SimpleNamespace(
        num_workers=num_workers, persistent_workers=persistent_workers)
    return SimpleNamespace(
        _resume=resume, logger=SimpleNamespace(warning=warnings.append),
        warnings=warnings, train_dataloader=loader)


def test_states_round_trip_through_a_weights_only_checkpoint():
    random.seed(1), np.random.seed(1), torch.manual_seed(1)
    np.random.randn()  # a cached Gaussian is part of NumPy's state
    buffer = io.BytesIO()
    torch.save(dict(meta=dict(random_states=get_random_states())), buffer)
    expected = _draw()
    _draw()
    buffer.seek(0)
    states = torch.load(buffer, weights_only=True)['meta']['random_states']
    set_random_states(states)
    assert _draw() == expected


def test_each_epoch_starts_where_the_previous_epoch_ended():
    hook = RandomStateHook()
    runner = _runner(resume=False)
    torch.manual_seed(0)
    hook.before_train_epoch(runner)
    _draw()  # training
    hook.after_train_epoch(runner)
    checkpoint = dict(meta={})
    hook.before_save_checkpoint(runner, checkpoint)
    expected = _draw()
    _draw()  # validation
    hook.before_train_epoch(runner)
    assert _draw() == expected

    resumed = RandomStateHook()
    resuming = _runner(resume=True, num_workers=2)
    resumed.after_load_checkpoint(resuming, checkpoint)
    assert not resuming.warnings
    random.seed(5), np.random.seed(5), torch.manual_seed(5)  # a new process
    resumed.before_train_epoch(runner)
    assert _draw() == expected


def test_load_from_without_resume_restores_nothing():
    torch.manual_seed(0)
    checkpoint = dict(meta=dict(random_states=get_random_states()))
    first = _draw()
    hook = RandomStateHook()
    hook.after_load_checkpoint(_runner(resume=False), checkpoint)
    hook.before_train_epoch(_runner(resume=False))
    assert _draw() != first


def test_resuming_a_checkpoint_without_states_warns():
    runner = _runner(resume=True)
    RandomStateHook().after_load_checkpoint(runner, dict(meta={}))
    assert 'no random states' in runner.warnings[0]


def test_resuming_with_persistent_workers_warns():
    runner = _runner(resume=True, num_workers=2, persistent_workers=True)
    checkpoint = dict(meta=dict(random_states=get_random_states()))
    RandomStateHook().after_load_checkpoint(runner, checkpoint)
    assert 'persistent_workers=False' in runner.warnings[0]
