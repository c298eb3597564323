# Copyright (c) mmxkd contributors. All rights reserved.
"""What each method's parts did in training: the statistics its heads log
(MNF gate spread, attention entropy over the tokens, CSC's temperature
range, loss terms), read back from a ``compare_methods.py`` work dir.

Prints a table of each statistic's mean over the last epoch (mean +- std
over the seeds) for every method and its scrambled-teacher control, and
writes ``train_stats.md``, ``train_stats.csv`` (every epoch of every run)
and ``train_stats.png`` (the curves over the epochs) into the work dir, or
where ``--out-dir`` says.

Example::

    python tools/analysis/train_stats.py work_dirs/compare_grid-word-all \
        --keys mnf_gate_std mnf_attn_entropy csc_tau_mean loss_tri
"""
import argparse
import os.path as osp
import sys

from mmxkd.experiments import (MNF_KEYS, collect_curves, find_runs,
                               format_stats_csv, format_stats_table,
                               plot_stats)
from mmxkd.fileio import atomic_open


def parse_args() -> argparse.Namespace:
    """The tool's arguments."""
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n\n', 1)[1])
    parser.add_argument('work_dir', help="compare_methods.py's --work-dir")
    parser.add_argument(
        '--keys', nargs='+', default=list(MNF_KEYS),
        help='logged statistics (default: the MNF + CSC ones)')
    parser.add_argument('--out-dir', help='default: WORK_DIR')
    parser.add_argument('--title', default='training statistics')
    return parser.parse_args()


def main() -> None:
    """Read the runs, print the table, write the files."""
    args = parse_args()
    try:
        runs = find_runs(args.work_dir)
    except FileNotFoundError as error:
        sys.exit(f'train_stats.py: {error}')
    curves = collect_curves(runs, args.keys)
    if not curves:
        sys.exit(f'train_stats.py: no run in {args.work_dir} logged any of '
                 f'{", ".join(args.keys)}')
    methods = list(runs)
    table = format_stats_table(curves, methods, args.keys)
    out_dir = args.out_dir or args.work_dir
    with atomic_open(osp.join(out_dir, 'train_stats.md')) as f:
        f.write(table + '\n')
    with atomic_open(osp.join(out_dir, 'train_stats.csv')) as f:
        f.write(format_stats_csv(curves))
    plot_stats(curves, methods, args.keys, args.title,
               osp.join(out_dir, 'train_stats.png'))
    print(table)
    print(f'\nwritten: {osp.join(out_dir, "train_stats.{md,csv,png}")}')


if __name__ == '__main__':
    main()
