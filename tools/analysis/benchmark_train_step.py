# Copyright (c) mmxkd contributors. All rights reserved.
"""Time one training iteration (forward, backward, optimizer step) of
several configs on the same batch, in one process.

Each model gets the same clips (the first ``--batch-size`` of its config's
training set, through that config's pipeline), loaded once, so data loading
is not timed; each model is warmed up first.
Prints milliseconds per iteration (mean +- std) and the ratio to the first
config, e.g. the distiller against its student trained alone.
"""
import argparse
import time
from typing import List

import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope
from mmengine.utils import ProgressBar

import mmxkd
from mmxkd.registry import DATASETS, MODELS

DEFAULT_CONFIGS = [
    'configs/student_only/student_r2plus1d-tiny_1xb8-20e_synthetic-av.py',
    'configs/mnf_csc/'
    'mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-20e_synthetic-av.py',
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'configs', nargs='*', default=DEFAULT_CONFIGS,
        help='configs to time (default: synthetic student alone vs MNF+CSC)')
    parser.add_argument('--iters', type=int, default=30)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--batch-size', type=int, help='default: config\'s')
    parser.add_argument('--device', default='cuda'
                        if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='applied to every config, xxx=yyy format')
    return parser.parse_args()


def load_batch(cfg: Config, batch_size: int) -> dict:
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    return pseudo_collate([dataset[i % len(dataset)]
                           for i in range(batch_size)])


def time_config(cfg: Config, batch: dict, args: argparse.Namespace) -> List:
    model = MODELS.build(cfg.model).to(args.device).train()
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    times = []
    progress = ProgressBar(args.warmup + args.iters)
    for i in range(args.warmup + args.iters):
        if args.device.startswith('cuda'):
            torch.cuda.synchronize()
        start = time.perf_counter()
        model.train_step(batch, optim_wrapper)
        if args.device.startswith('cuda'):
            torch.cuda.synchronize()
        if i >= args.warmup:
            times.append(time.perf_counter() - start)
        progress.update()
    print()
    return times


def main() -> None:
    args = parse_args()
    torch.manual_seed(0)
    cfgs = []
    for path in args.configs:
        cfg = Config.fromfile(path)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        cfgs.append(cfg)
    batch_size = args.batch_size or cfgs[0].train_dataloader.batch_size
    results = []
    with DefaultScope.overwrite_default_scope('mmxkd'):
        for path, cfg in zip(args.configs, cfgs):
            print(f'timing {path}')
            batch = load_batch(cfg, batch_size)
            results.append((path, np.array(time_config(cfg, batch, args))))
    print(f'\ntrain step on {args.device}, batch {batch_size}, '
          f'{args.iters} iterations after {args.warmup} warm-up '
          f'(torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'mmxkd {mmxkd.__version__}):')
    base = results[0][1].mean()
    for path, times in results:
        print(f'  {times.mean() * 1e3:8.1f} +- {times.std() * 1e3:6.1f} ms/iter'
              f'  x{times.mean() / base:.2f}  {path}')


if __name__ == '__main__':
    main()
