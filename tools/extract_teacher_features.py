# Copyright (c) mmxkd contributors. All rights reserved.
"""Write the frozen teacher's feature of every clip: one ``.npy`` per clip.

The feature is the teacher's pre-classifier embedding (pooled backbone
output), computed with the teacher config's test pipeline on the samples of
one of its dataloaders. ``<OUT_DIR>/<dir>/<name>.npy`` is written for the
clip ``<dir>/<name>.<ext>``, which is where ``AudioVisualDataset`` with
``data_prefix.teacher=OUT_DIR`` looks for it.

Runs distributed (``--launcher pytorch``, e.g. with
``python -m torch.distributed.run --nproc_per_node N``): each rank computes a
shard. Writes are atomic and finished clips are skipped, so an interrupted run
resumes. At the end every feature is checked: one length, finite values.
"""
import argparse
import os
import os.path as osp
from typing import List

import torch
from mmengine.config import Config, DictAction
from mmengine.dist import barrier, get_dist_info, init_dist, is_main_process
from mmengine.registry import DefaultScope
from mmengine.utils import ProgressBar

import mmxkd  # noqa: F401  (compatibility fixes, registries)
from mmxkd.datasets import load_teacher_feature, save_npy_atomic
from mmxkd.models import NetworkTeacher
from mmxkd.registry import DATASETS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help="the teacher's config")
    parser.add_argument('checkpoint', help="the teacher's checkpoint")
    parser.add_argument('--out-dir', required=True, help='where to write')
    parser.add_argument(
        '--split',
        choices=['train', 'val', 'test'],
        default='train',
        help='whose annotation file and data prefixes to use (the test '
        'pipeline is used in every case)')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, xxx=yyy format')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def build_dataset(cfg: Config, split: str):
    dataset_cfg = cfg[f'{split}_dataloader'].dataset.copy()
    dataset_cfg.pipeline = cfg.test_dataloader.dataset.pipeline
    dataset_cfg.test_mode = True
    return DATASETS.build(dataset_cfg)


def out_path(out_dir: str, relpath: str) -> str:
    return osp.join(out_dir, osp.splitext(relpath)[0] + '.npy')


def is_done(path: str) -> bool:
    try:
        load_teacher_feature(path)
    except (OSError, ValueError):
        return False
    return True


def check_outputs(paths: List[str]) -> int:
    """All features exist, are finite and share one length; returns it."""
    lengths = {}
    for path in paths:
        lengths.setdefault(load_teacher_feature(path).shape[0], path)
    if len(lengths) != 1:
        raise ValueError('teacher features of different lengths: ' + ', '.join(
            f'{n} ({path})' for n, path in lengths.items()))
    return next(iter(lengths))


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.launcher != 'none':
        init_dist(args.launcher,
                  **cfg.get('env_cfg', {}).get('dist_cfg', {}))
    rank, world_size = get_dist_info()
    device = f'cuda:{torch.cuda.current_device()}' \
        if torch.cuda.is_available() else 'cpu'

    with DefaultScope.overwrite_default_scope('mmxkd'):
        dataset = build_dataset(cfg, args.split)
        teacher = NetworkTeacher(
            cfg.model, args.checkpoint, cache_in_memory=False).to(device)
    paths = [
        out_path(args.out_dir, dataset.get_data_info(i)['relpath'])
        for i in range(len(dataset))
    ]
    shard = list(range(rank, len(dataset), world_size))
    todo = [i for i in shard if not is_done(paths[i])]
    if is_main_process():
        print(f'{len(dataset)} clips of {args.split}, {world_size} '
              f'process(es); rank 0: {len(shard) - len(todo)} already done, '
              f'{len(todo)} to compute')
    progress = ProgressBar(len(todo)) if is_main_process() else None
    for start in range(0, len(todo), args.batch_size):
        batch = todo[start:start + args.batch_size]
        inputs = [dataset[i]['inputs'] for i in batch]
        feats = teacher.embed(inputs).float().cpu()
        if not torch.isfinite(feats).all():
            bad = [paths[i] for i, f in zip(batch, feats)
                   if not torch.isfinite(f).all()]
            raise ValueError(f'non-finite teacher features for {bad}')
        for i, feat in zip(batch, feats):
            save_npy_atomic(paths[i], feat.numpy())
        if progress is not None:
            for _ in batch:
                progress.update()
    barrier()
    if is_main_process():
        if todo:
            print()
        dim = check_outputs(paths)
        print(f'{len(paths)} teacher features of length {dim} in '
              f'{args.out_dir}')


if __name__ == '__main__':
    main()
