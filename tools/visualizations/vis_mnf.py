# Copyright (c) mmxkd contributors. All rights reserved.
"""Draw the Modality Noise Filter of a trained MNF + CSC distiller: one PNG
per clip, ``<OUT_DIR>/<clip stem>.png``.

Each picture shows the clip's sampled frames under the MNF attention of
their temporal token, and the gate values over the teacher dimensions. The
clips go through the validation transforms (no random crop or flip) plus the
training pipeline's teacher-loading steps, so the MNF sees the teacher's
feature. See :mod:`mmxkd.visualization`.
"""
import argparse
from typing import List, Union

from mmengine.config import Config, DictAction

import mmxkd  # noqa: F401  (compatibility fixes, registries)
from mmxkd.apis.cli import merge_cfg_options
from mmxkd.visualization import visualize_mnf
from mmxkd.visualization.mnf_pictures import SPLITS


def build_parser() -> argparse.ArgumentParser:
    """The tool's arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='the distillation config')
    parser.add_argument('checkpoint', help='its checkpoint')
    parser.add_argument('--out-dir', required=True, help='where to write')
    parser.add_argument(
        '--clips',
        nargs='+',
        default=['4'],
        help='how many of the first clips (one number), or clip names '
        '(relative path, file name or stem). Default: 4')
    parser.add_argument(
        '--split',
        choices=SPLITS,
        default='train',
        help="whose clips (default: train, which has the teacher's "
        'features); val / test need '
        '<split>_dataloader.dataset.data_prefix.teacher')
    parser.add_argument(
        '--head',
        help='the MNFCSCHead of model.heads to draw (default: the first)')
    parser.add_argument(
        '--dpi', type=int, default=100, help='dots per inch (default 100)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, xxx=yyy format')
    return parser


def parse_clips(values: List[str]) -> Union[int, List[str]]:
    """``--clips``: one number is a count, anything else names clips."""
    if len(values) == 1 and values[0].isdigit():
        return int(values[0])
    return values


def main() -> None:
    """Parse the arguments, merge ``--cfg-options``, draw, print the PNGs."""
    args = build_parser().parse_args()
    cfg = merge_cfg_options(Config.fromfile(args.config), args)
    for path in visualize_mnf(cfg, args.checkpoint, args.out_dir,
                              parse_clips(args.clips), args.split, args.head,
                              args.dpi):
        print(path)


if __name__ == '__main__':
    main()
