# Copyright (c) mmxkd contributors. All rights reserved.
"""The main job: the student alone vs. the MNF + CSC student, one command.

Builds the generated audio-visual data if it is missing, trains the student
alone and the distilled student with ``tools/train.py`` (same data, schedule
and seed), tests the last checkpoint of each with ``tools/test.py``, prints a
table (top-1, top-5, per-class accuracy) and writes a PNG with both students'
validation curves.
"""
import argparse
import json
import os.path as osp
import pickle
import subprocess
import sys
from glob import glob
from typing import Dict, List

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
RUNS = (
    ('student alone',
     'configs/student_only/student_r2plus1d-tiny_1xb8-20e_synthetic-av.py'),
    ('MNF + CSC', 'configs/mnf_csc/'
     'mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-20e_synthetic-av.py'),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--work-dir', default='work_dirs/run_distillation',
        help='where runs, predictions, the table and the PNG go')
    parser.add_argument(
        '--data-root', default='data/synthetic_av',
        help='generated data (built here if missing)')
    parser.add_argument('--epochs', type=int, help='override max_epochs')
    parser.add_argument('--seed', type=int, default=3)
    return parser.parse_args()


def run(cmd: List[str]) -> None:
    print('$ ' + ' '.join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def data_options(data_root: str) -> List[str]:
    """--cfg-options pointing the synthetic configs at ``data_root``."""
    videos, feats = osp.join(data_root, 'videos'), osp.join(
        data_root, 'teacher_feats')
    opts = [
        f'train_dataloader.dataset.ann_file={data_root}/train.txt',
        f'train_dataloader.dataset.data_prefix.video={videos}',
        f'train_dataloader.dataset.data_prefix.teacher={feats}',
    ]
    for split in ('val', 'test'):
        opts += [
            f'{split}_dataloader.dataset.ann_file={data_root}/val.txt',
            f'{split}_dataloader.dataset.data_prefix.video={videos}',
        ]
    return opts


def scores(dump_file: str, num_classes: int) -> Dict[str, object]:
    with open(dump_file, 'rb') as f:
        results = pickle.load(f)
    pred = np.stack([np.asarray(r['pred_score']) for r in results])
    gt = np.array([int(np.asarray(r['gt_label']).reshape(-1)[0])
                   for r in results])
    top5 = np.argsort(-pred, axis=1)[:, :5]
    per_class = [
        float((pred[gt == c].argmax(1) == c).mean()) if (gt == c).any() else
        float('nan') for c in range(num_classes)
    ]
    return dict(
        top1=float((pred.argmax(1) == gt).mean()),
        top5=float((top5 == gt[:, None]).any(1).mean()),
        per_class=per_class)


def val_curve(work_dir: str) -> List[tuple]:
    """(epoch, acc/top1) of every validation in the latest run."""
    logs = sorted(glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not logs:
        return []
    curve = []
    with open(logs[-1]) as f:
        for line in f:
            entry = json.loads(line)
            if 'acc/top1' in entry:
                curve.append((entry['step'], entry['acc/top1']))
    return curve


def plot_curves(curves: Dict[str, List[tuple]], out_file: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, curve in curves.items():
        if curve:
            epochs, accs = zip(*curve)
            ax.plot(epochs, accs, marker='o', label=name)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel('epoch')
    ax.set_ylabel('validation top-1 accuracy')
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_file, dpi=120)
    plt.close(fig)


def format_table(rows: Dict[str, dict], classes: List[str]) -> str:
    head = ['model', 'top-1', 'top-5'] + [f'acc {c}' for c in classes]
    lines = ['| ' + ' | '.join(head) + ' |',
             '|' + '---|' * len(head)]
    for name, s in rows.items():
        cells = [name, f'{s["top1"]:.4f}', f'{s["top5"]:.4f}'] + [
            f'{a:.4f}' for a in s['per_class']
        ]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def main() -> None:
    args = parse_args()
    work_dir = osp.abspath(args.work_dir)
    data_root = osp.abspath(args.data_root)
    if not osp.isfile(osp.join(data_root, 'val.txt')):
        print(f'[1/3] generating data in {data_root}', flush=True)
        run([sys.executable, 'tools/data/synthetic/generate_synthetic_av.py',
             data_root])
    else:
        print(f'[1/3] using the data in {data_root}', flush=True)
    with open(osp.join(data_root, 'classes.txt')) as f:
        classes = [line.strip() for line in f if line.strip()]

    rows, curves = {}, {}
    for i, (name, config) in enumerate(RUNS):
        run_dir = osp.join(work_dir, osp.splitext(osp.basename(config))[0])
        options = data_options(data_root) + [f'randomness.seed={args.seed}']
        if args.epochs:
            options.append(f'train_cfg.max_epochs={args.epochs}')
        print(f'[2/3] training {name} ({i + 1}/{len(RUNS)})', flush=True)
        run([sys.executable, 'tools/train.py', config, '--work-dir', run_dir,
             '--cfg-options'] + options)
        with open(osp.join(run_dir, 'last_checkpoint')) as f:
            checkpoint = f.read().strip()
        dump = osp.join(run_dir, 'test_predictions.pkl')
        print(f'[3/3] testing {name}: {checkpoint}', flush=True)
        run([sys.executable, 'tools/test.py', config, checkpoint,
             '--work-dir', run_dir, '--dump', dump, '--cfg-options'] +
            data_options(data_root))
        rows[name] = scores(dump, len(classes))
        curves[name] = val_curve(run_dir)

    table = format_table(rows, classes)
    png = osp.join(work_dir, 'val_curves.png')
    plot_curves(curves, png)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
    print('\nTest accuracy (last checkpoint, validation split):\n' + table)
    print(f'\ntable: {osp.join(work_dir, "results.md")}\ncurves: {png}')


if __name__ == '__main__':
    main()
