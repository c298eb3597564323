# Copyright (c) mmxkd contributors. All rights reserved.
"""One writer for the test log under DDP.

MMEngine 0.10.7's ``LoggerHook.after_test_epoch`` dumps the test metrics to
``{work_dir}/{timestamp}/{timestamp}.json`` on every rank. The ranks share
the timestamp, so with ``tools/dist_test.sh`` they truncate and write the same
file at once and it can end up as two interleaved JSON documents. Here only
the main process logs and dumps; the metrics are already the same on every
rank. Applied with MMEngine 0.10.x.
"""
import functools
from typing import Dict, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import LoggerHook
from mmengine.runner import Runner


_after_test_epoch = LoggerHook.after_test_epoch


@functools.wraps(_after_test_epoch)
def _after_test_epoch_main_only(self: LoggerHook,
                                runner: Runner,
                                metrics: Optional[Dict[str, float]] = None
                                ) -> None:
    if is_main_process():
        _after_test_epoch(self, runner, metrics)


def write_test_log_once() -> None:
    """Patch ``LoggerHook.after_test_epoch`` to run on rank 0 only
    (idempotent)."""
    LoggerHook.after_test_epoch = _after_test_epoch_main_only
