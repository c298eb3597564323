# Copyright (c) mmxkd contributors. All rights reserved.
"""Decode the videos of a config's datasets into their clip cache ahead of
training (``tools/data/build_clip_cache.py``).

For each split asked for, the config's ``<split>_dataloader.dataset`` is
built (its list file, without running the pipeline or probing the videos)
and every video is decoded into the cache of the pipeline's
``ClipCacheInit`` step (``cache_dir``, ``crop``), as that step would on
first use; entries already valid are kept, broken ones are decoded again.
Options given with ``--cfg-options`` apply first, e.g. to point the config at
other data.
"""
import argparse
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config, DictAction
from mmengine.registry import DefaultScope

from mmxkd.datasets.transforms.clip_cache_init import build_entry
from mmxkd.fileio import remove_stale_temp_files
from mmxkd.registry import DATASETS
from mmxkd.utils.cli import add_workers_argument, require_positive
from mmxkd.utils.parallel import track_map

SPLITS = ('train', 'val', 'test')
# (video, cache_dir, crop) of one entry
Task = Tuple[str, str, Optional[Tuple[int, ...]]]


def cache_tasks(cfg: Config, split: str) -> List[Task]:
    """The entries the ``split`` dataloader of ``cfg`` reads.

    Args:
        cfg (Config): The config.
        split (str): ``'train'``, ``'val'`` or ``'test'``.

    Returns:
        list[tuple]: ``(video, cache_dir, crop)`` per clip of the list file.

    Raises:
        ValueError: The split's pipeline has no ``ClipCacheInit`` step.
    """
    key = f'{split}_dataloader.dataset'
    dataset_cfg = cfg[f'{split}_dataloader']['dataset'].copy()
    steps = [s for s in dataset_cfg['pipeline']
             if s['type'] in ('ClipCacheInit', 'mmxkd.ClipCacheInit')]
    if len(steps) != 1:
        raise ValueError(f'{key}.pipeline of {cfg.filename} has '
                         f'{len(steps)} ClipCacheInit steps, expected one')
    step = steps[0]
    crop = tuple(step['crop']) if step.get('crop') is not None else None
    dataset_cfg['pipeline'] = []
    if dataset_cfg.get('type') == 'AudioVisualDataset':
        dataset_cfg['probe_videos'] = False
    with DefaultScope.overwrite_default_scope('mmxkd'):
        dataset = DATASETS.build(dataset_cfg)
    return [(dataset.get_data_info(i)['filename'], step['cache_dir'], crop)
            for i in range(len(dataset))]


def _build(task: Task) -> Tuple[str, bool]:
    return build_entry(*task)


def build_clip_cache(cfg: Config,
                     splits: Sequence[str] = SPLITS,
                     workers: int = 1) -> Dict[str, bool]:
    """Decode every video of the ``splits`` of ``cfg`` into its cache
    entry, with a progress bar.

    Args:
        cfg (Config): The config.
        splits (Sequence[str]): Which dataloaders. Defaults to all three.
        workers (int): Processes that decode. Defaults to 1.

    Returns:
        dict[str, bool]: Each entry's ``.npy`` and whether it was decoded
        now (False: it was valid already).
    """
    tasks = list(dict.fromkeys(
        task for split in splits for task in cache_tasks(cfg, split)))
    for cache_dir in dict.fromkeys(task[1] for task in tasks):
        if osp.isdir(cache_dir):
            remove_stale_temp_files(cache_dir)  # left by killed builds
    return dict(track_map(_build, tasks, workers))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse and check the command line (``sys.argv[1:]`` by default)."""
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='config whose clip cache to build')
    parser.add_argument(
        '--split',
        nargs='+',
        choices=SPLITS,
        default=list(SPLITS),
        help='dataloaders whose videos to decode (default: all)')
    add_workers_argument(parser, 'decoding processes (default: 1)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, xxx=yyy format')
    args = parser.parse_args(argv)
    require_positive(parser, args, 'workers')
    return args


def main(argv: Optional[List[str]] = None) -> None:
    """Build the cache and print how many entries were decoded."""
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    built = build_clip_cache(cfg, args.split, args.workers)
    decoded = sum(built.values())
    print(f'{len(built)} clip cache entries for {" ".join(args.split)} of '
          f'{args.config}: {decoded} decoded, {len(built) - decoded} '
          'valid already')


if __name__ == '__main__':
    main()
