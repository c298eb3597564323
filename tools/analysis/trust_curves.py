# Copyright (c) mmxkd contributors. All rights reserved.
"""Per-epoch trust AUC beside validation top-1: how well each run's per-clip
trust in the teacher found the clips with irrelevant sound, epoch by epoch
(``trust.json`` of ``TrustScoreHook``), and what the student reached.

Writes ``<out>.csv`` (run, epoch, every trust key of the epoch, val top-1)
and ``<out>.png`` (the two curves per run). Example::

    python tools/analysis/trust_curves.py 'KD=work_dirs/kd_run' \
        'contradiction=work_dirs/contradiction_run' \
        --key trust/auc trust/student_agreement_auc --out trust_swap30
"""
import argparse
import csv
import os.path as osp
import sys
from typing import Dict, List, Tuple

from mmxkd.experiments import read_val_curve
from mmxkd.fileio import load_trust_entries
from mmxkd.fileio import atomic_open


def read_trust_curve(run_dir: str) -> List[dict]:
    """The per-epoch entries of a run's ``trust.json`` ([] without one)."""
    path = osp.join(run_dir, 'trust.json')
    if not osp.isfile(path):
        return []
    try:
        return load_trust_entries(path)
    except ValueError as err:
        sys.exit(f'error: {err}')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        'runs', nargs='+', metavar='NAME=RUN_DIR',
        help='a name for the plot and the run directory of one training')
    parser.add_argument(
        '--key', nargs='+', default=['trust/auc'],
        help='trust keys to plot; a run without a key is left out of it')
    parser.add_argument('--out', required=True,
                        help='writes OUT.csv and OUT.png')
    args = parser.parse_args()
    runs = []
    for item in args.runs:
        name, sep, run_dir = item.partition('=')
        if not sep or not osp.isdir(run_dir):
            parser.error(f'{item!r}: expected NAME=RUN_DIR with an existing '
                         'run directory')
        runs.append((name, run_dir))
    args.runs = runs
    return args


def main() -> None:
    args = parse_args()
    rows: List[dict] = []
    curves: Dict[str, Tuple[List[dict], List[Tuple[int, float]]]] = {}
    for name, run_dir in args.runs:
        trust = read_trust_curve(run_dir)
        val = read_val_curve(run_dir)
        curves[name] = (trust, val)
        top1 = dict(val)
        for entry in trust:
            rows.append(dict(run=name, **entry,
                             val_top1=top1.get(entry['epoch'], '')))
    keys = sorted({k for row in rows for k in row} - {'run', 'epoch',
                                                      'val_top1'})
    with atomic_open(args.out + '.csv', 'w') as f:
        writer = csv.DictWriter(f, ['run', 'epoch'] + keys + ['val_top1'],
                                lineterminator='\n')
        writer.writeheader()
        writer.writerows(rows)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for name, (trust, val) in curves.items():
        for key in args.key:
            points = [(e['epoch'], e[key]) for e in trust if key in e]
            if points:
                left.plot(*zip(*points), marker='o', markersize=3,
                          label=f'{name} ({key})')
        if val:
            right.plot(*zip(*val), marker='o', markersize=3, label=name)
    left.axhline(0.5, color='grey', linestyle=':', label='chance')
    left.set(xlabel='epoch', ylabel='ROC-AUC vs the truth (training clips)',
             ylim=(0.3, 1.02), title='trust in the teacher')
    right.set(xlabel='epoch', ylabel='validation top-1', ylim=(0, None),
              title='student')
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    with atomic_open(args.out + '.png', 'wb') as f:
        fig.savefig(f, format='png', dpi=110)
    plt.close(fig)
    print(f'wrote {args.out}.csv ({len(rows)} rows) and {args.out}.png')


if __name__ == '__main__':
    main()
