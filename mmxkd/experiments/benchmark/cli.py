# Copyright (c) mmxkd contributors. All rights reserved.
"""The command lines of ``tools/analysis/benchmark_train_step.py``
(:func:`main`) and ``tools/analysis/benchmark_gpu.sh`` (:func:`gpu_main`)."""
import argparse
import json
import os
import sys
from typing import Callable, List, Optional

import torch
from mmengine.config import DictAction

from .probes import check_device
from .report import format_report
from .runner import run_benchmark

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
