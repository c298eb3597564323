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
See :mod:`mmxkd.apis.teacher_features`.
"""
import argparse

from mmengine.config import Config

import mmxkd  # noqa: F401  (compatibility fixes, registries)
from mmxkd.apis.cli import add_runner_args, merge_cfg_options, parse_args
from mmxkd.apis.teacher_features import SPLITS, extract_teacher_features


def build_parser() -> argparse.ArgumentParser:
    """The tool's arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help="the teacher's config")
    parser.add_argument('checkpoint', help="the teacher's checkpoint")
    parser.add_argument('--out-dir', required=True, help='where to write')
    parser.add_argument(
        '--split',
        choices=SPLITS,
        default='train',
        help='whose annotation file and data prefixes to use (the test '
        'pipeline is used in every case)')
    parser.add_argument('--batch-size', type=int, default=16)
    add_runner_args(parser)
    return parser


def main() -> None:
    """Parse the arguments, merge ``--cfg-options`` and extract."""
    args = parse_args(build_parser())
    cfg = merge_cfg_options(Config.fromfile(args.config), args)
    extract_teacher_features(cfg, args.checkpoint, args.out_dir, args.split,
                             args.batch_size, args.launcher)


if __name__ == '__main__':
    main()
