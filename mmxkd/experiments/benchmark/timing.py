# Copyright (c) mmxkd contributors. All rights reserved.
"""Timing: train steps interleaved round by round, their statistics
(median and IQR, ratio to the first config by round) and the clips/s of a
train dataloader."""
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from .probes import CudaMemoryProbe, RssProbe


@dataclass
class RoundTimes:
    """What :func:`time_interleaved` measured.

    Attributes:
        seconds: (rounds, configs) step times of the counted rounds.
        step_peak_growth: Per config, the highest step peak RSS above the
            RSS before that step, in bytes, over all rounds (warm-up
            included); None where it could not be measured.
        gpu_peak: Per config, the highest GPU memory allocated during one
            of its steps, in bytes (warm-up included); None without a GPU
            probe.
        gpu_peak_growth: The same above the allocation before that step.
    """
    seconds: np.ndarray
    step_peak_growth: List[Optional[int]]
    gpu_peak: List[Optional[int]]
    gpu_peak_growth: List[Optional[int]]


def time_interleaved(steps: Sequence[Callable[[], object]],
                     warmup: int,
                     rounds: int,
                     sync: Callable[[], None] = lambda: None,
                     clock: Callable[[], float] = time.perf_counter,
                     probe: Optional[RssProbe] = None,
                     gpu_probe: Optional[CudaMemoryProbe] = None
                     ) -> RoundTimes:
    """Run ``steps`` round by round (round r: ``steps[0]``, ``steps[1]``,
    ...) and time each call.

    Args:
        steps: One callable per config.
        warmup: Rounds run first and not counted.
        rounds: Rounds counted.
        sync: Called before reading the clock (e.g. CUDA synchronize).
        clock: Seconds.
        probe: Measures each step's peak RSS above the RSS before it
            (outside the timed span); None: not measured.
        gpu_probe: Measures each step's peak GPU memory (its peak reset
            before the step, outside the timed span); None: not measured.
    """
    seconds = np.zeros((rounds, len(steps)))
    growth: List[Optional[int]] = [None] * len(steps)
    gpu_peak: List[Optional[int]] = [None] * len(steps)
    gpu_growth: List[Optional[int]] = [None] * len(steps)
    for r in range(warmup + rounds):
        for k, step in enumerate(steps):
            before = None
            if probe is not None and probe.reset_peak():
                before = probe.rss()
            sync()
            gpu_before = None
            if gpu_probe is not None:
                gpu_before = gpu_probe.allocated()
                gpu_probe.reset_peak()
            start = clock()
            step()
            sync()
            elapsed = clock() - start
            if before is not None:
                peak = probe.peak()
                if peak is not None:
                    growth[k] = max(growth[k] or 0, peak - before)
            if gpu_before is not None:
                peak = gpu_probe.peak()
                gpu_peak[k] = max(gpu_peak[k] or 0, peak)
                gpu_growth[k] = max(gpu_growth[k] or 0, peak - gpu_before)
            if r >= warmup:
                seconds[r - warmup, k] = elapsed
    return RoundTimes(seconds, growth, gpu_peak, gpu_growth)


def median_iqr(values: np.ndarray) -> Dict[str, float]:
    """``median``, ``q25``, ``q75`` and ``iqr`` (q75 - q25) of values."""
    q25, median, q75 = np.percentile(values, [25, 50, 75])
    return dict(
        median=float(median), q25=float(q25), q75=float(q75),
        iqr=float(q75 - q25))


def summarize_rounds(seconds: np.ndarray) -> List[dict]:
    """Per config (column): ``ms_per_step`` and ``ratio_to_first`` (the
    per-round ratio to column 0, paired by round), each as
    :func:`median_iqr`, with the raw per-round values (``values``)."""
    ms = seconds * 1e3
    ratios = seconds / seconds[:, :1]
    return [
        dict(
            ms_per_step=dict(median_iqr(ms[:, k]), values=ms[:, k].tolist()),
            ratio_to_first=dict(
                median_iqr(ratios[:, k]), values=ratios[:, k].tolist()))
        for k in range(seconds.shape[1])
    ]


def time_loader(cfg: Config,
                batches: int,
                workers: Optional[int] = None) -> dict:
    """Clips/s of the config's train dataloader over ``batches`` batches
    after one warm-up batch (worker start-up, dataset probing); an epoch
    that runs out is followed by the next, as in training.

    Args:
        cfg: The config.
        batches: Batches timed.
        workers: Overrides ``train_dataloader.num_workers`` (0 also turns
            ``persistent_workers`` off).

    Returns:
        ``num_workers``, ``batch_size``, ``batches``, ``clips``, ``seconds``
        and ``clips_per_s``.
    """
    loader_cfg = cfg.train_dataloader.copy()
    if workers is not None:
        loader_cfg.num_workers = workers
        if workers == 0:
            loader_cfg.persistent_workers = False
    with DefaultScope.overwrite_default_scope('mmxkd'):
        loader = Runner.build_dataloader(loader_cfg)
        it = iter(loader)
        next(it)
        clips, start = 0, time.perf_counter()
        for _ in range(batches):
            try:
                batch = next(it)
            except StopIteration:
                it = iter(loader)
                batch = next(it)
            clips += len(batch['inputs'])
        seconds = time.perf_counter() - start
    del it, loader
    return dict(
        num_workers=loader_cfg.num_workers,
        batch_size=loader_cfg.batch_size,
        batches=batches,
        clips=clips,
        seconds=seconds,
        clips_per_s=clips / seconds)
