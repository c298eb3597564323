# Copyright (c) mmxkd contributors. All rights reserved.
"""Time the training step of several configs, and their data path, in one
process (``tools/analysis/benchmark_train_step.py``).

Step timing: every config's model and optim wrapper are built once, each
with one fixed batch of the same size (the first clips of its training set
through its own train pipeline, or with ``synthetic`` random inputs of the
pipeline's clip shape and random teacher features), then the train steps
(forward, backward, optimizer step) run interleaved round by round (round
r: config 1, config 2, ...), so a slow spell of a shared machine hits every
config of that round alike. Per config: median and IQR of the ms/step, and
median and IQR of the per-round ratio to the first config (paired by round).

Data path timing, separately: the config's train dataloader, as the config
builds it (its ``num_workers``, or ``workers``), delivering clips/s over some
batches after a warm-up batch, against the step's clips/s (batch size /
median step time).

Memory (host, best effort, Linux ``/proc``): the RSS growth while building a
config's model, optim wrapper and batch; the peak RSS of its steps above the
RSS before each step (``VmHWM`` reset before every step through
``/proc/self/clear_refs``, where the kernel allows it); the process's peak
RSS (``getrusage`` and every ``VmHWM`` read). On a CUDA device also the GPU
memory: ``torch.cuda.max_memory_allocated`` over each config's steps (peak
statistics reset before every step), absolute and above the allocation
before the step.

AMP (``amp`` modes ``off`` and ``on``): with ``on`` a config's step runs
under ``torch.autocast`` in float16 (``AMP_DTYPE``), without a gradient
scaler (the scaler's unscale and inf check are not timed; the figures are
for speed, not for training). Each mode is a case of its own in the
rounds, sharing the config's model, optim wrapper and batch.

``tools/analysis/benchmark_gpu.sh`` (:func:`gpu_main`) runs the reference
scale on a CUDA device and refuses, with one line, without one.
"""
import argparse
import contextlib
import json
import os
import platform
import random
import resource
import sys
import time
from dataclasses import dataclass, replace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config, DictAction
from mmengine.dataset import pseudo_collate
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

import mmxkd
from mmxkd.registry import DATASETS, MODELS

MIB = 2**20

DEFAULT_CONFIGS = [
    'configs/student_only/student_r2plus1d-tiny_1xb8-20e_synthetic-av.py',
    'configs/mnf_csc/'
    'mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-20e_synthetic-av.py',
]
# the reference scale: R(2+1)D r10 student, 16x112x112 clips
REFERENCE_CONFIGS = [
    'configs/student_only/student_r2plus1d-r10_8xb4-200e_ucf51.py',
    'configs/mnf_csc/mnf-csc_r2plus1d-r10_audio-emb512_8xb4-200e_ucf51.py',
]
REFERENCE_BATCH_SIZE = 32
AMP_CHOICES = {'off': ('off', ), 'on': ('on', ), 'both': ('off', 'on')}
# float16, not bfloat16: MMAction2's heads compute top-k accuracy through
# numpy, which has no bfloat16 (TypeError: Got unsupported ScalarType
# BFloat16).
AMP_DTYPE = torch.float16


class RssProbe:
    """Resident memory of this process, read from ``/proc/self`` (Linux).

    ``rss`` and ``peak`` return None where ``/proc/self`` is missing;
    ``reset_peak`` returns False where the kernel refuses to reset the
    high-water mark, and ``peak`` is then the process's peak so far.
    """

    def __init__(self) -> None:
        self._peak_seen = 0

    @staticmethod
    def rss() -> Optional[int]:
        """The current RSS in bytes."""
        try:
            with open('/proc/self/statm') as f:
                return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
        except OSError:
            return None

    def reset_peak(self) -> bool:
        """Set the RSS high-water mark (``VmHWM``) to the current RSS, after
        reading it (for :meth:`process_peak`)."""
        self.peak()
        try:
            with open('/proc/self/clear_refs', 'w') as f:
                f.write('5')
            return True
        except OSError:
            return False

    def peak(self) -> Optional[int]:
        """The RSS high-water mark (``VmHWM``) in bytes, since the last
        reset."""
        try:
            with open('/proc/self/status') as f:
                line = next(x for x in f if x.startswith('VmHWM:'))
        except (OSError, StopIteration):
            return None
        value = int(line.split()[1]) * 1024
        self._peak_seen = max(self._peak_seen, value)
        return value

    def process_peak(self) -> int:
        """This process's peak RSS in bytes (its dataloader workers are
        processes of their own): ``getrusage``'s ``ru_maxrss`` or, if
        higher, any high-water mark read, each reset included."""
        self.peak()
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return max(maxrss, self._peak_seen)


class CudaMemoryProbe:
    """Memory allocated by tensors on one CUDA device.

    Args:
        device: The CUDA device, e.g. ``'cuda'`` or ``'cuda:1'``.
    """

    def __init__(self, device: str) -> None:
        self.device = torch.device(device)

    def allocated(self) -> int:
        """Bytes allocated now (``torch.cuda.memory_allocated``)."""
        return torch.cuda.memory_allocated(self.device)

    def reset_peak(self) -> None:
        """Start a new peak (``torch.cuda.reset_peak_memory_stats``)."""
        torch.cuda.reset_peak_memory_stats(self.device)

    def peak(self) -> int:
        """Bytes allocated at most since the last reset
        (``torch.cuda.max_memory_allocated``)."""
        return torch.cuda.max_memory_allocated(self.device)


def check_device(device: str) -> torch.device:
    """The device ``device`` names, checked to be usable.

    Args:
        device: A torch device string (``'cpu'``, ``'cuda'``, ``'cuda:1'``).

    Raises:
        RuntimeError: If it is a CUDA device and CUDA is unavailable, or
            the device index is out of range.
    """
    parsed = torch.device(device)
    if parsed.type != 'cuda':
        return parsed
    if not torch.cuda.is_available():
        raise RuntimeError(
            f'CUDA is required for device {device!r}, and '
            f'torch.cuda.is_available() is False here (torch '
            f'{torch.__version__}, built with CUDA {torch.version.cuda})')
    if parsed.index is not None and \
            parsed.index >= torch.cuda.device_count():
        raise RuntimeError(
            f'device {device!r}: this machine has '
            f'{torch.cuda.device_count()} CUDA device(s)')
    return parsed


@dataclass
class StepCase:
    """One config, built for step timing.

    Attributes:
        name: The config's path, as given.
        cfg: The merged config.
        model: Its model, in train mode on the benchmark device.
        optim_wrapper: Its optim wrapper.
        batch: The fixed batch (``pseudo_collate`` of packed samples).
        build_rss_growth: RSS growth in bytes while building the model, the
            optim wrapper and the batch (None without ``/proc``).
        device: Where the model trains.
        amp_dtype: The autocast dtype of the step; None: no autocast.
    """
    name: str
    cfg: Config
    model: BaseModel
    optim_wrapper: OptimWrapper
    batch: dict
    build_rss_growth: Optional[int]
    device: str = 'cpu'
    amp_dtype: Optional[torch.dtype] = None

    def step(self) -> None:
        """One training iteration on the fixed batch (forward, backward and
        optimizer step under autocast when ``amp_dtype`` is set)."""
        autocast = contextlib.nullcontext() if self.amp_dtype is None else \
            torch.autocast(torch.device(self.device).type, self.amp_dtype)
        with autocast:
            self.model.train_step(self.batch, self.optim_wrapper)


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


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """The config at ``path`` with ``cfg_options`` merged."""
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def synthetic_input_shape(pipeline: Sequence[dict]) -> Tuple[int, ...]:
    """The shape of one packed RGB sample of a train pipeline.

    Read from ``SampleFrames`` (``clip_len``, ``num_clips``), the last
    transform that fixes the spatial size (``Resize`` with
    ``keep_ratio=False``, ``CenterCrop``/``RandomCrop``) and ``FormatShape``
    (``NCTHW`` or ``NCHW``).

    Raises:
        ValueError: If the pipeline lacks one of them.
    """
    types = {t['type']: t for t in pipeline}
    size = None
    for t in pipeline:
        if t['type'] == 'Resize' and not t.get('keep_ratio', True):
            width, height = t['scale']
            size = (height, width)
        elif t['type'] in ('CenterCrop', 'RandomCrop'):
            crop = t.get('crop_size', t.get('size'))
            size = (crop, crop) if isinstance(crop, int) else tuple(crop[::-1])
    fmt = types.get('FormatShape', {}).get('input_format')
    if 'SampleFrames' not in types or size is None or fmt not in ('NCTHW',
                                                                  'NCHW'):
        raise ValueError(
            'cannot read the clip shape from the train pipeline (needs '
            'SampleFrames, a fixed-size Resize or crop and FormatShape '
            f'NCTHW/NCHW; got {[t["type"] for t in pipeline]}): pass '
            '--input-shape')
    frames = types['SampleFrames']
    clip_len, num_clips = frames['clip_len'], frames.get('num_clips', 1)
    if fmt == 'NCTHW':
        return (num_clips, 3, clip_len) + size
    return (num_clips * clip_len, 3) + size


def synthetic_batch(model: BaseModel,
                    cfg: Config,
                    batch_size: int,
                    input_shape: Optional[Tuple[int, ...]] = None,
                    seed: int = 0) -> dict:
    """A batch of random clips (uint8, as the pipeline packs them) with
    random labels, ``sample_idx`` 0..N-1 and, for every teacher that reads
    a precomputed feature (``key`` and ``feat_dim``), a random feature.

    Args:
        model: The built model (its teachers say which features to add).
        cfg: Its config (number of classes, train pipeline).
        batch_size: Clips in the batch.
        input_shape: One sample's shape; defaults to
            :func:`synthetic_input_shape` of the train pipeline.
        seed: Seed of the random contents.
    """
    dataset_cfg = cfg.train_dataloader.dataset
    shape = input_shape or synthetic_input_shape(dataset_cfg.pipeline)
    num_classes = dataset_cfg.get('num_classes') or \
        model.student.cls_head.num_classes
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    teachers = [
        t for t in getattr(model, 'teachers', {}).values()
        if hasattr(t, 'key') and hasattr(t, 'feat_dim')
    ]
    inputs, samples = [], []
    for i in range(batch_size):
        inputs.append(
            torch.randint(0, 256, shape, generator=gen, dtype=torch.uint8))
        sample = ActionDataSample(metainfo=dict(img_shape=shape[-2:]))
        sample.set_gt_label(int(rng.integers(num_classes)))
        sample.set_field(i, 'sample_idx')
        for teacher in teachers:
            sample.set_field(
                rng.random(teacher.feat_dim).astype(np.float32), teacher.key)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def dataset_batch(cfg: Config,
                  batch_size: int,
                  seed: int = 0) -> Tuple[dict, int]:
    """The first ``batch_size`` clips of the config's training set through
    its train pipeline, with every random generator seeded with ``seed``
    first (configs sharing augmentations draw the same crops), and the
    training set's size."""
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    batch = pseudo_collate(
        [dataset[i % len(dataset)] for i in range(batch_size)])
    return batch, len(dataset)


def build_case(name: str,
               cfg: Config,
               batch_size: int,
               synthetic: bool = False,
               input_shape: Optional[Tuple[int, ...]] = None,
               device: str = 'cpu',
               seed: int = 0) -> StepCase:
    """Build a config's model (seeded, train mode, on ``device``), optim
    wrapper and fixed batch, measuring the RSS growth; heads with per-sample
    state are sized to the training set (to the batch when synthetic)."""
    probe = RssProbe()
    before = probe.rss()
    with DefaultScope.overwrite_default_scope('mmxkd'):
        torch.manual_seed(seed)
        model = MODELS.build(cfg.model).to(device).train()
        optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
        if synthetic:
            batch = synthetic_batch(model, cfg, batch_size, input_shape, seed)
            train_size = batch_size
        else:
            batch, train_size = dataset_batch(cfg, batch_size, seed)
    if hasattr(model, 'set_train_size'):
        model.set_train_size(train_size)
    after = probe.rss()
    growth = None if before is None or after is None else after - before
    return StepCase(name, cfg, model, optim_wrapper, batch, growth, device)


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


def machine_info(device: str = 'cpu') -> dict:
    """CPU count (all, and usable by this process), torch version and
    intra-op threads, mmxkd version, platform, and the GPU's name (None on
    a device other than CUDA).

    Args:
        device: The benchmark device.
    """
    gpu = torch.cuda.get_device_name(device) \
        if torch.device(device).type == 'cuda' else None
    return dict(
        cpu_count=os.cpu_count(),
        cpus_usable=len(os.sched_getaffinity(0)),
        torch=torch.__version__,
        threads=torch.get_num_threads(),
        mmxkd=mmxkd.__version__,
        platform=platform.platform(),
        processor=platform.processor() or platform.machine(),
        gpu=gpu)


def run_benchmark(configs: Sequence[str],
                  cfg_options: Optional[dict] = None,
                  rounds: int = 30,
                  warmup: int = 5,
                  batch_size: Optional[int] = None,
                  synthetic: bool = False,
                  input_shape: Optional[Tuple[int, ...]] = None,
                  loader_batches: int = 20,
                  workers: Optional[int] = None,
                  threads: Optional[int] = None,
                  device: str = 'cpu',
                  amp: Sequence[str] = ('off', )) -> dict:
    """Time the configs' train steps interleaved, then their dataloaders.

    Args:
        configs: Config paths; ratios are to the first.
        cfg_options: Merged into every config.
        rounds: Counted rounds of steps.
        warmup: Rounds before them, not counted.
        batch_size: Clips of every config's batch; defaults to the first
            config's ``train_dataloader.batch_size``.
        synthetic: Random batches instead of the training sets' clips.
        input_shape: One synthetic sample's shape (default: from the
            pipeline, :func:`synthetic_input_shape`).
        loader_batches: Batches of dataloader timing per config; 0 skips it.
        workers: Dataloader workers (default: the config's).
        threads: ``torch.set_num_threads`` (default: torch's).
        device: Where the models train (:func:`check_device`).
        amp: AMP modes, ``'off'`` and/or ``'on'`` (autocast in
            ``AMP_DTYPE``); each config runs once per mode, config by
            config (config 1 off, config 1 on, config 2 off, ...).

    Returns:
        The report: ``machine`` (:func:`machine_info`), ``settings``,
        ``configs`` (per config and AMP mode: ``config``, ``amp`` (the
        autocast dtype, or None), ``ms_per_step``, ``ratio_to_first``,
        ``step_clips_per_s``, ``memory`` (the GPU figures None off CUDA)
        and ``loader``, with ``loader_to_step``, or None when skipped) and
        ``process_peak_rss_mib``.

    Raises:
        RuntimeError: If ``device`` is not usable, before any work.
        ValueError: On bad ``rounds`` or ``amp``.
    """
    check_device(device)
    if rounds < 1:
        raise ValueError(f'rounds must be >= 1, got {rounds}')
    if not amp or set(amp) - {'off', 'on'}:
        raise ValueError(f'amp modes are "off" and "on", got {list(amp)}')
    if threads is not None:
        torch.set_num_threads(threads)
    cuda = torch.device(device).type == 'cuda'
    cfgs = [load_config(path, cfg_options) for path in configs]
    batch_size = batch_size or cfgs[0].train_dataloader.batch_size
    built = [
        build_case(path, cfg, batch_size, synthetic, input_shape, device)
        for path, cfg in zip(configs, cfgs)
    ]
    cases = [
        replace(case, amp_dtype=AMP_DTYPE if mode == 'on' else None)
        for case in built for mode in amp
    ]
    probe = RssProbe()
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    measured = time_interleaved([case.step for case in cases], warmup, rounds,
                                sync=sync, probe=probe,
                                gpu_probe=CudaMemoryProbe(device)
                                if cuda else None)
    loaders = [
        time_loader(case.cfg, loader_batches, workers)
        if loader_batches > 0 else None for case in built
    ]
    results = []
    for k, (case, stats) in enumerate(
            zip(cases, summarize_rounds(measured.seconds))):
        step_clips = batch_size / (stats['ms_per_step']['median'] / 1e3)
        loader = loaders[k // len(amp)]
        if loader is not None:
            loader = dict(loader,
                          loader_to_step=loader['clips_per_s'] / step_clips)
        results.append(
            dict(
                config=case.name,
                amp=None if case.amp_dtype is None else
                str(case.amp_dtype).replace('torch.', ''),
                **stats,
                step_clips_per_s=step_clips,
                memory=dict(
                    build_rss_growth_mib=_mib(case.build_rss_growth),
                    step_peak_rss_growth_mib=_mib(
                        measured.step_peak_growth[k]),
                    gpu_step_peak_mib=_mib(measured.gpu_peak[k]),
                    gpu_step_peak_growth_mib=_mib(
                        measured.gpu_peak_growth[k])),
                loader=loader))
    return dict(
        machine=machine_info(device),
        settings=dict(
            rounds=rounds,
            warmup=warmup,
            batch_size=batch_size,
            synthetic_batch=synthetic,
            loader_batches=loader_batches,
            workers=workers,
            device=device,
            amp=list(amp),
            cfg_options=cfg_options or {}),
        configs=results,
        process_peak_rss_mib=_mib(probe.process_peak()))


def _mib(value: Optional[int]) -> Optional[float]:
    return None if value is None else value / MIB


def _fmt(value: Optional[float], spec: str) -> str:
    return '-' if value is None else format(value, spec)


def format_report(report: dict) -> str:
    """The report as a header and a markdown table, one row per config (and
    AMP mode: ``(amp <dtype>)`` after the config where it is on; GPU memory
    columns on CUDA)."""
    m, s = report['machine'], report['settings']
    gpu = m['gpu'] is not None
    amp = '' if s['amp'] == ['off'] else \
        f' (AMP {"/".join(s["amp"])}: autocast, no grad scaler)'
    lines = [
        f'train step, interleaved round by round: {len(report["configs"])} '
        f'configs x {s["rounds"]} rounds after {s["warmup"]} warm-up '
        f'rounds, batch {s["batch_size"]} '
        f'({"synthetic" if s["synthetic_batch"] else "training clips"}), '
        f'{s["device"]}{amp}',
        f'machine: {m["cpu_count"]} CPUs ({m["cpus_usable"]} usable), '
        f'torch {m["torch"]}, {m["threads"]} threads, mmxkd {m["mmxkd"]}, '
        f'{m["platform"]}' + (f', GPU {m["gpu"]}' if gpu else ''), '',
        '| config | ms/step median | ms/step IQR | x first median '
        '| x first IQR | step clips/s | loader clips/s (workers) '
        '| loader / step | build RSS +MiB | step peak RSS +MiB |' +
        (' GPU step peak MiB | GPU step peak +MiB |' if gpu else ''),
        '|---|---|---|---|---|---|---|---|---|---|' +
        ('---|---|' if gpu else '')
    ]
    for row in report['configs']:
        ms, ratio, mem = row['ms_per_step'], row['ratio_to_first'], \
            row['memory']
        loader = row['loader']
        loader_cells = ['-', '-'] if loader is None else [
            f'{loader["clips_per_s"]:.1f} ({loader["num_workers"]})',
            f'{loader["loader_to_step"]:.2f}'
        ]
        name = row['config'] if row['amp'] is None else \
            f'{row["config"]} (amp {row["amp"]})'
        cells = [
            name, f'{ms["median"]:.1f}', f'{ms["iqr"]:.1f}',
            f'{ratio["median"]:.3f}', f'{ratio["iqr"]:.3f}',
            f'{row["step_clips_per_s"]:.1f}', *loader_cells,
            _fmt(mem['build_rss_growth_mib'], '.1f'),
            _fmt(mem['step_peak_rss_growth_mib'], '.1f')
        ]
        if gpu:
            cells += [
                _fmt(mem['gpu_step_peak_mib'], '.0f'),
                _fmt(mem['gpu_step_peak_growth_mib'], '.0f')
            ]
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines += [
        '',
        f'process peak RSS (workers not included): '
        f'{report["process_peak_rss_mib"]:.1f} MiB. '
        'x first: per-round ratio to the first config. build RSS: growth '
        'while building the model, optim wrapper and batch (the first '
        "config's includes one-off costs of the process); step peak RSS: "
        'highest peak RSS of a step above the RSS before it (VmHWM reset '
        'per step; best effort). loader / step: clips/s of the train '
        'dataloader over those of the step (batch / median step time).' +
        (' GPU step peak: torch.cuda.max_memory_allocated during a step '
         '(every config built stays allocated), and above the allocation '
         'before it.' if gpu else '')
    ]
    return '\n'.join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The arguments of ``tools/analysis/benchmark_train_step.py``."""
    parser = argparse.ArgumentParser(
        description='Time the train step of configs interleaved round by '
        'round in one process, and their train dataloaders.')
    parser.add_argument(
        'configs', nargs='*', default=DEFAULT_CONFIGS,
        help='configs to time; ratios are to the first (default: the '
        'synthetic student alone, then MNF + CSC)')
    parser.add_argument('--rounds', type=int, default=30,
                        help='counted rounds of one step per config')
    parser.add_argument('--warmup', type=int, default=5,
                        help='rounds before them, not counted')
    parser.add_argument('--batch-size', type=int,
                        help="default: the first config's")
    parser.add_argument(
        '--synthetic-batch', action='store_true',
        help='random clips of the pipeline\'s shape and random teacher '
        'features instead of the training clips (no data needed for the '
        'steps)')
    parser.add_argument(
        '--input-shape', type=lambda s: tuple(int(x) for x in s.split(',')),
        help='one synthetic sample\'s shape, e.g. 1,3,8,48,48 (default: '
        'read from the train pipeline)')
    parser.add_argument(
        '--loader-batches', type=int, default=20,
        help='dataloader batches timed per config, after a warm-up batch; '
        '0 skips the data path')
    parser.add_argument('--workers', type=int,
                        help="dataloader workers (default: the config's)")
    parser.add_argument('--threads', type=int,
                        help='torch.set_num_threads (default: torch\'s)')
    parser.add_argument('--device', default='cuda'
                        if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--amp', choices=AMP_CHOICES, default='off',
        help='float16 autocast (no grad scaler): off, on, or both (each '
        'config once per mode)')
    parser.add_argument('--json', help='also write every figure here')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='applied to every config, xxx=yyy format')
    return parser


def _count(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer >= ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f'expected an integer >= {minimum}, got {text!r}')
        return value

    return parse


def build_gpu_parser() -> argparse.ArgumentParser:
    """The arguments of ``tools/analysis/benchmark_gpu.sh``."""
    parser = argparse.ArgumentParser(
        prog='benchmark_gpu.sh',
        description='On a CUDA device, from the repository root: clips/s '
        'of the train step of the R(2+1)D r10 student alone and with MNF + '
        'CSC (16x112x112 clips, random batches), with AMP and without, '
        'interleaved round by round; peak GPU memory; with --data-root, '
        'the train loader\'s clips/s. Exits 1 without CUDA, before any '
        'work.')
    parser.add_argument(
        '--workers', type=_count(0),
        help="train loader workers (default: the config's)")
    parser.add_argument(
        '--batch-size', type=_count(2), default=REFERENCE_BATCH_SIZE,
        help='clips per step (the reference: 32)')
    parser.add_argument('--iters', type=_count(1), default=20,
                        help='counted rounds of one step per case')
    parser.add_argument('--warmup', type=_count(0), default=5,
                        help='rounds before them, not counted')
    parser.add_argument(
        '--amp', choices=AMP_CHOICES, default='both',
        help='float16 autocast (no grad scaler): on, off, or both')
    parser.add_argument(
        '--data-root',
        help='the UCF51 folder (videos/, teacher_feats/, '
        'ucf51_train_split_1_videos.txt; configs/_base_/datasets/'
        'ucf51_av.py): also time the train loader on it')
    parser.add_argument(
        '--loader-batches', type=_count(1), default=20,
        help='loader batches timed per config (with --data-root)')
    parser.add_argument('--json', help='also write every figure here')
    return parser


def ucf51_options(root: str) -> dict:
    """``cfg_options`` that point the UCF51 configs' train set at ``root``.

    Args:
        root: The folder with ``videos/``, ``teacher_feats/`` and
            ``ucf51_train_split_1_videos.txt``.
    """
    return {
        'train_dataloader.dataset.ann_file':
        os.path.join(root, 'ucf51_train_split_1_videos.txt'),
        'train_dataloader.dataset.data_prefix.video':
        os.path.join(root, 'videos'),
        'train_dataloader.dataset.data_prefix.teacher':
        os.path.join(root, 'teacher_feats'),
    }


def _print_and_save(report: dict, json_path: Optional[str]) -> None:
    print(format_report(report))
    if json_path:
        with open(json_path, 'w') as f:
            json.dump(report, f, indent=2)


def main(argv: Optional[List[str]] = None) -> dict:
    """Run the benchmark from command-line arguments, print the table and
    write the JSON; returns the report."""
    args = build_parser().parse_args(argv)
    report = run_benchmark(
        args.configs,
        cfg_options=args.cfg_options,
        rounds=args.rounds,
        warmup=args.warmup,
        batch_size=args.batch_size,
        synthetic=args.synthetic_batch,
        input_shape=args.input_shape,
        loader_batches=args.loader_batches,
        workers=args.workers,
        threads=args.threads,
        device=args.device,
        amp=AMP_CHOICES[args.amp])
    _print_and_save(report, args.json)
    return report


def gpu_main(argv: Optional[List[str]] = None) -> dict:
    """``tools/analysis/benchmark_gpu.sh``: the reference scale on CUDA.

    Arguments are checked first, then CUDA: without it the process exits
    with status 1 and one line on stderr, having built nothing.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).

    Returns:
        The report of :func:`run_benchmark`.
    """
    parser = build_gpu_parser()
    args = parser.parse_args(argv)
    try:
        check_device('cuda')
    except RuntimeError as err:
        sys.exit(f'{parser.prog}: {err}; nothing was run.')
    report = run_benchmark(
        REFERENCE_CONFIGS,
        cfg_options=ucf51_options(args.data_root) if args.data_root else None,
        rounds=args.iters,
        warmup=args.warmup,
        batch_size=args.batch_size,
        synthetic=True,
        loader_batches=args.loader_batches if args.data_root else 0,
        workers=args.workers,
        device='cuda',
        amp=AMP_CHOICES[args.amp])
    _print_and_save(report, args.json)
    return report
