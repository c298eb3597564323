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
from .cases import (StepCase, build_case, dataset_batch, load_config,
                    synthetic_batch, synthetic_input_shape)
from .cli import (AMP_CHOICES, DEFAULT_CONFIGS, REFERENCE_BATCH_SIZE,
                  REFERENCE_CONFIGS, build_gpu_parser, build_parser, gpu_main,
                  main, ucf51_options)
from .probes import CudaMemoryProbe, RssProbe, check_device, machine_info
from .report import format_report
from .runner import AMP_DTYPE, run_benchmark
from .timing import (RoundTimes, median_iqr, summarize_rounds,
                     time_interleaved, time_loader)

__all__ = [
    'StepCase', 'build_case', 'dataset_batch', 'load_config',
    'synthetic_batch', 'synthetic_input_shape', 'AMP_CHOICES',
    'DEFAULT_CONFIGS', 'REFERENCE_BATCH_SIZE', 'REFERENCE_CONFIGS',
    'build_gpu_parser', 'build_parser', 'gpu_main', 'main', 'ucf51_options',
    'CudaMemoryProbe', 'RssProbe', 'check_device', 'machine_info',
    'format_report', 'AMP_DTYPE', 'run_benchmark', 'RoundTimes', 'median_iqr',
    'summarize_rounds', 'time_interleaved', 'time_loader'
]
