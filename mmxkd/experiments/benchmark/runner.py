# Copyright (c) mmxkd contributors. All rights reserved.
"""The benchmark of several configs in one process: build, time the steps
interleaved (each AMP mode a case of its own), time the dataloaders and
gather the report."""
from dataclasses import replace
from typing import Optional, Sequence, Tuple

import torch

from .cases import build_case, load_config
from .probes import CudaMemoryProbe, RssProbe, _mib, check_device, machine_info
from .timing import summarize_rounds, time_interleaved, time_loader

# float16, not bfloat16: MMAction2's heads compute top-k accuracy through
# numpy, which has no bfloat16 (TypeError: Got unsupported ScalarType
# BFloat16).
AMP_DTYPE = torch.float16


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
