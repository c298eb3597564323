# Copyright (c) mmxkd contributors. All rights reserved.
"""The main job, one command: audio -> teacher -> teacher features ->
student alone vs. MNF + CSC student -> table and curves.

For each seed it trains the audio teacher on log-mel spectrograms, writes its
features for every training clip, trains the video student alone and the
MNF + CSC student (same data, schedule and seed), and tests all three with
``tools/test.py``. It then prints a table (top-1, top-5 and per-class
accuracy, mean +- std over the seeds) and writes a PNG with both students'
validation curves. Every step is one of the project's own tools, run as a
user would run it; finished runs are kept and not repeated.

Data: ``--dataset synthetic`` (default) generates clips with a sound track if
``--data-root`` has none; ``--dataset grid-command`` / ``grid-digit-word``
prepare GRID from ``--grid-root`` (GRID's official layout or the project's
re-encoded copy) if ``--data-root`` has not been prepared yet.
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
SETUPS = {
    'synthetic': dict(
        teacher='configs/audio_teacher/'
        'tsn-audio_r18_1xb16-5e_synthetic-av-logmel.py',
        student='configs/student_only/'
        'student_r2plus1d-tiny_1xb8-20e_synthetic-av.py',
        distill='configs/mnf_csc/'
        'mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-20e_synthetic-av.py',
        data_root='data/synthetic_av'),
    'grid-command': dict(
        teacher='configs/audio_teacher/'
        'tsn-audio_r18_1xb16-15e_grid-command-logmel.py',
        student='configs/student_only/'
        'student_r2plus1d-tiny_1xb8-15e_grid-command.py',
        distill='configs/mnf_csc/'
        'mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-15e_grid-command.py',
        data_root='data/grid'),
    'grid-digit-word': dict(
        teacher='configs/audio_teacher/'
        'tsn-audio_r18_1xb16-15e_grid-digit-word-logmel.py',
        student='configs/student_only/'
        'student_r2plus1d-tiny_1xb8-15e_grid-digit-word.py',
        distill='configs/mnf_csc/'
        'mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-15e_grid-digit-word.py',
        data_root='data/grid'),
}
ROWS = ('audio teacher', 'student alone', 'MNF + CSC')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--dataset', choices=list(SETUPS), default='synthetic')
    parser.add_argument('--data-root', help='default: per dataset')
    parser.add_argument('--grid-root', help='GRID download (grid-* only)')
    parser.add_argument('--work-dir', help='default: work_dirs/'
                        'run_distillation_<dataset>')
    parser.add_argument('--seeds', type=int, nargs='+', default=[3])
    parser.add_argument('--epochs', type=int, help='override student epochs')
    parser.add_argument(
        '--teacher-epochs', type=int, help='override teacher epochs')
    return parser.parse_args()


def run(cmd: List[str]) -> None:
    print('$ ' + ' '.join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


class Data:
    """Where the clips, spectrograms and lists of one dataset are."""

    def __init__(self, dataset: str, root: str) -> None:
        self.root = root
        if dataset == 'synthetic':
            self.videos = osp.join(root, 'videos')
            self.audio = osp.join(root, 'audio_logmel')
            self.lists = {s: osp.join(root, f'{a}.txt') for s, a in
                          (('train', 'train'), ('val', 'val'),
                           ('test', 'val'))}
            self.classes = osp.join(root, 'classes.txt')
        elif dataset == 'grid-command':
            with open(osp.join(root, 'sentence', 'video_root.txt')) as f:
                self.videos = f.read().strip()
            self.audio = osp.join(root, 'audio_logmel', 'sentence')
            self.lists = {s: osp.join(root, 'sentence', f'command_{s}.txt')
                          for s in ('train', 'val', 'test')}
            self.classes = osp.join(root, 'sentence', 'command_classes.txt')
        else:
            self.videos = osp.join(root, 'words', 'clips')
            self.audio = osp.join(root, 'audio_logmel', 'words')
            self.lists = {s: osp.join(root, 'words', f'digit_{s}.txt')
                          for s in ('train', 'val', 'test')}
            self.classes = osp.join(root, 'words', 'digit_classes.txt')

    def options(self, prefix: str, teacher_feats: str = None) -> List[str]:
        """--cfg-options for a video (``prefix='video'``) or an audio
        (``'audio'``) config."""
        where = self.videos if prefix == 'video' else self.audio
        opts = []
        for split in ('train', 'val', 'test'):
            key = f'{split}_dataloader.dataset'
            opts += [f'{key}.ann_file={self.lists[split]}',
                     f'{key}.data_prefix.{prefix}={where}']
        if teacher_feats:
            opts.append(f'train_dataloader.dataset.data_prefix.teacher='
                        f'{teacher_feats}')
        return opts


def prepare_data(args: argparse.Namespace, root: str) -> Data:
    py = sys.executable
    if args.dataset == 'synthetic':
        if not osp.isfile(osp.join(root, 'val.txt')):
            run([py, 'tools/data/synthetic/generate_synthetic_av.py', root])
    elif not osp.isfile(osp.join(root, 'sentence', 'video_root.txt')):
        if not args.grid_root:
            raise SystemExit(f'{root} holds no prepared GRID data: give '
                             '--grid-root (the GRID download)')
        run([py, 'tools/data/grid/prepare_grid.py', args.grid_root, root,
             '--workers', '2'])
    data = Data(args.dataset, root)
    run([py, 'tools/data/build_audio_features.py', data.videos, data.audio,
         '--list', data.lists['train'], '--workers', '2'])
    for split in ('val', 'test'):
        if data.lists[split] != data.lists['train']:
            run([py, 'tools/data/build_audio_features.py', data.videos,
                 data.audio, '--list', data.lists[split], '--workers', '2'])
    return data


def last_checkpoint(run_dir: str) -> str:
    """The run's last checkpoint (found in ``run_dir`` even if the work dir
    was moved since MMEngine recorded its absolute path)."""
    with open(osp.join(run_dir, 'last_checkpoint')) as f:
        return osp.join(run_dir, osp.basename(f.read().strip()))


def train_and_test(config: str, run_dir: str, options: List[str],
                   epochs: int = None) -> str:
    """Train (unless done) and test the last checkpoint; returns the
    predictions file."""
    dump = osp.join(run_dir, 'test_predictions.pkl')
    if osp.isfile(dump):
        print(f'done before: {run_dir}', flush=True)
        return dump
    train_opts = options + ([f'train_cfg.max_epochs={epochs}']
                            if epochs else [])
    run([sys.executable, 'tools/train.py', config, '--work-dir', run_dir,
         '--cfg-options'] + train_opts)
    checkpoint = last_checkpoint(run_dir)
    run([sys.executable, 'tools/test.py', config, checkpoint, '--work-dir',
         run_dir, '--dump', dump, '--cfg-options'] + options)
    return dump


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


def val_curve(run_dir: str) -> List[tuple]:
    """(epoch, acc/top1) of every validation of the run's latest log."""
    logs = sorted(glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json')))
    curve = []
    if logs:
        with open(logs[-1]) as f:
            for line in f:
                entry = json.loads(line)
                if 'acc/top1' in entry:
                    curve.append((entry['step'], entry['acc/top1']))
    return curve


def plot_curves(curves: Dict[str, List[List[tuple]]], title: str,
                out_file: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, runs in curves.items():
        length = min(len(c) for c in runs)
        if not length:
            continue
        epochs = [e for e, _ in runs[0][:length]]
        accs = np.array([[a for _, a in c[:length]] for c in runs])
        mean, std = accs.mean(0), accs.std(0)
        ax.plot(epochs, mean, marker='o', markersize=3, label=name)
        ax.fill_between(epochs, mean - std, mean + std, alpha=0.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel('epoch')
    ax.set_ylabel('validation top-1 accuracy')
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_file, dpi=120)
    plt.close(fig)


def format_table(results: Dict[str, List[dict]], classes: List[str],
                 seeds: List[int]) -> str:
    def cell(values: List[float]) -> str:
        return (f'{np.mean(values):.4f}' if len(values) == 1 else
                f'{np.mean(values):.4f} +- {np.std(values):.4f}')

    head = ['model', 'top-1', 'top-5'] + [f'acc {c}' for c in classes]
    lines = [f'seeds: {" ".join(map(str, seeds))}', '',
             '| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for name, runs in results.items():
        cells = [name, cell([r['top1'] for r in runs]),
                 cell([r['top5'] for r in runs])]
        cells += [f'{np.nanmean([r["per_class"][c] for r in runs]):.2f}'
                  for c in range(len(classes))]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def main() -> None:
    args = parse_args()
    setup = SETUPS[args.dataset]
    work_dir = osp.abspath(args.work_dir or osp.join(
        'work_dirs', f'run_distillation_{args.dataset}'))
    root = osp.abspath(args.data_root or setup['data_root'])
    print(f'[data] {args.dataset} in {root}', flush=True)
    data = prepare_data(args, root)
    with open(data.classes) as f:
        classes = [line.strip() for line in f if line.strip()]

    results = {name: [] for name in ROWS}
    curves = {name: [] for name in ROWS[1:]}
    for seed in args.seeds:
        seed_dir = osp.join(work_dir, f'seed{seed}')
        seed_opt = [f'randomness.seed={seed}']
        print(f'[seed {seed}] audio teacher', flush=True)
        teacher_dir = osp.join(seed_dir, 'teacher')
        dump = train_and_test(setup['teacher'], teacher_dir,
                              data.options('audio') + seed_opt,
                              args.teacher_epochs)
        results['audio teacher'].append(scores(dump, len(classes)))
        teacher_ckpt = last_checkpoint(teacher_dir)
        feats = osp.join(teacher_dir, 'features')
        print(f'[seed {seed}] teacher features', flush=True)
        run([sys.executable, 'tools/extract_teacher_features.py',
             setup['teacher'], teacher_ckpt, '--out-dir', feats,
             '--cfg-options'] + data.options('audio'))
        for name, key in (('student alone', 'student'),
                          ('MNF + CSC', 'distill')):
            print(f'[seed {seed}] {name}', flush=True)
            run_dir = osp.join(seed_dir, key)
            dump = train_and_test(
                setup[key], run_dir,
                data.options('video', feats if key == 'distill' else None) +
                seed_opt, args.epochs)
            results[name].append(scores(dump, len(classes)))
            curves[name].append(val_curve(run_dir))

    table = format_table(results, classes, args.seeds)
    png = osp.join(work_dir, 'val_curves.png')
    plot_curves(curves, f'{args.dataset}: students on the validation split',
                png)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(dict(dataset=args.dataset, seeds=args.seeds,
                       classes=classes, results=results), f, indent=1)
    print(f'\nTest accuracy ({args.dataset}, last checkpoints):\n{table}')
    print(f'\ntable: {osp.join(work_dir, "results.md")}\ncurves: {png}')


if __name__ == '__main__':
    main()
