# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.utils.parallel: an ordered pool with a progress bar."""
import os
import sys
import types
from functools import partial

import pytest

from mmxkd.utils.parallel import progress_bar, track_map


def slow_square(x: int, delay: float = 0.0) -> int:
    import time
    time.sleep(delay * (5 - x % 5))  # later tasks finish first
    return x * x


def pid_of(_: int) -> int:
    return os.getpid()


@pytest.fixture(autouse=True)
def no_tqdm(monkeypatch):
    """mmengine's bar, as where tqdm is not installed."""
    monkeypatch.setitem(sys.modules, 'tqdm', None)


@pytest.mark.parametrize(
    'workers', [1, pytest.param(3, marks=pytest.mark.integration)])
def test_results_keep_the_order_of_the_tasks(workers):
    tasks = list(range(10))
    results = list(
        track_map(partial(slow_square, delay=0.01), tasks, workers))
    assert results == [x * x for x in tasks]


def test_one_worker_runs_here():
    assert set(track_map(pid_of, [1, 2, 3], workers=1)) == {os.getpid()}
    assert set(track_map(pid_of, [1], workers=4)) == {os.getpid()}


@pytest.mark.integration
def test_several_workers_run_in_other_processes():
    assert os.getpid() not in set(track_map(pid_of, list(range(4)), 2))


def test_bar_goes_to_stderr(capsys):
    assert list(track_map(slow_square, [1, 2])) == [1, 4]
    out, err = capsys.readouterr()
    assert out == '' and '2/2' in err and err.endswith('\n')


def test_no_task_no_bar(capsys):
    assert list(track_map(slow_square, [], workers=4)) == []
    assert capsys.readouterr() == ('', '')


def test_tqdm_when_installed(monkeypatch):
    made = []

    class FakeTqdm:

        def __init__(self, total, file):
            made.append(self)
            self.total, self.file, self.n, self.closed = total, file, 0, False

        def update(self, n=1):
            self.n += n

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.closed = True

    monkeypatch.setitem(sys.modules, 'tqdm',
                        types.SimpleNamespace(tqdm=FakeTqdm))
    with progress_bar(3) as advance:
        for _ in range(3):
            advance()
    (bar, ) = made
    assert (bar.total, bar.file, bar.n, bar.closed) == (3, sys.stderr, 3,
                                                         True)
