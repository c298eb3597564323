# Copyright (c) mmxkd contributors. All rights reserved.
"""The main job, one command: audio -> teacher -> teacher features ->
student alone vs. MNF + CSC student -> table and curves.

For each seed it trains the audio teacher on log-mel spectrograms, writes its
features for every training clip, trains the video student alone and the
MNF + CSC student (same data, schedule and seed), and tests all three with
``tools/test.py``. It then prints a table (top-1, top-5 and per-class
accuracy, mean +- std over the seeds) and writes a PNG with both students'
validation curves. Every step is one of the project's own tools, run as a
user would run it; finished runs are kept and not repeated, an interrupted
training is resumed (see :mod:`mmxkd.apis.experiment`).

Data: ``--dataset synthetic`` (default) generates clips with a sound track if
``--data-root`` has none; ``--dataset grid-word-all`` (every word of GRID's
sentences, 51-way, a student with 16 tokens for the MNF) prepares GRID from
``--grid-root`` (GRID's official layout or the project's re-encoded copy) if
``--data-root`` has not been prepared yet.
"""
import argparse
import json
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

from mmxkd.apis import (ExperimentRunner, Run, find_checkpoint,
                        format_accuracy_table, plot_val_curves,
                        prediction_scores, read_val_curve, run_command)
from mmxkd.apis.experiment import PREDICTIONS_FILE

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
    # 51-way words of all six slots, the student keeping 16 tokens
    'grid-word-all': dict(
        teacher='configs/audio_teacher/'
        'tsn-audio_r18_1xb16-15e_grid-word-all-logmel.py',
        student='configs/student_only/'
        'student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py',
        distill='configs/mnf_csc/'
        'mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-8x32.py',
        data_root='data/grid'),
}
ROWS = ('audio teacher', 'student alone', 'MNF + CSC')


def parse_args() -> argparse.Namespace:
    """The job's arguments."""
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


def run(cmd: List[str], step: str) -> None:
    """Run a tool from the repository root, echoed, its output on the
    terminal; raises ``RunError`` if it fails."""
    run_command(cmd, ROOT, step)


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
        else:
            self.videos = osp.join(root, 'words', 'clips')
            self.audio = osp.join(root, 'audio_logmel', 'words')
            self.lists = {s: osp.join(root, 'words', f'all_{s}.txt')
                          for s in ('train', 'val', 'test')}
            self.classes = osp.join(root, 'words', 'all_classes.txt')

    def options(self,
                prefix: str,
                teacher_feats: Optional[str] = None) -> List[str]:
        """--cfg-options for a video (``prefix='video'``) or an audio
        (``'audio'``) config, with the teacher features ``teacher_feats``
        for the training set if given."""
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
    """Generate or prepare the clips in ``root`` unless there, and their
    log-mel spectrograms."""
    py = sys.executable
    if args.dataset == 'synthetic':
        if not osp.isfile(osp.join(root, 'val.txt')):
            run([py, 'tools/data/synthetic/generate_synthetic_av.py', root],
                'clip generation')
    elif not osp.isfile(osp.join(root, 'words', 'all_classes.txt')):
        if not args.grid_root:
            raise SystemExit(f'{root} holds no prepared GRID data: give '
                             '--grid-root (the GRID download)')
        run([py, 'tools/data/grid/prepare_grid.py', args.grid_root, root,
             '--word-slots', 'all', '--workers', '2'], 'GRID preparation')
    data = Data(args.dataset, root)
    for ann_file in dict.fromkeys(data.lists.values()):
        run([py, 'tools/data/build_audio_features.py', data.videos,
             data.audio, '--list', ann_file, '--workers', '2'],
            'spectrograms')
    return data


def train_and_test(runner: ExperimentRunner, run: Run,
                   num_classes: int) -> Dict[str, object]:
    """Train (unless done) and test a run; returns its test scores."""
    _, skipped = runner.run(run)
    if skipped:
        print(f'done before: {run.run_dir}', flush=True)
    return prediction_scores(
        osp.join(run.run_dir, PREDICTIONS_FILE), num_classes)


def epochs_option(epochs: Optional[int]) -> Tuple[str, ...]:
    """The training --cfg-options of ``--epochs`` / ``--teacher-epochs``."""
    return (f'train_cfg.max_epochs={epochs}', ) if epochs else ()


def main() -> None:
    """Prepare the data, run every seed, write the table and the curves."""
    args = parse_args()
    setup = SETUPS[args.dataset]
    work_dir = osp.abspath(args.work_dir or osp.join(
        'work_dirs', f'run_distillation_{args.dataset}'))
    root = osp.abspath(args.data_root or setup['data_root'])
    print(f'[data] {args.dataset} in {root}', flush=True)
    data = prepare_data(args, root)
    with open(data.classes) as f:
        classes = [line.strip() for line in f if line.strip()]

    runner = ExperimentRunner(ROOT)
    results = {name: [] for name in ROWS}
    curves = {name: [] for name in ROWS[1:]}
    for seed in args.seeds:
        seed_dir = osp.join(work_dir, f'seed{seed}')
        print(f'[seed {seed}] audio teacher', flush=True)
        teacher = Run(
            osp.join(ROOT, setup['teacher']), seed,
            osp.join(seed_dir, 'teacher'),
            options=tuple(data.options('audio')),
            train_options=epochs_option(args.teacher_epochs), dump=True)
        results['audio teacher'].append(
            train_and_test(runner, teacher, len(classes)))
        feats = osp.join(teacher.run_dir, 'features')
        print(f'[seed {seed}] teacher features', flush=True)
        run([sys.executable, 'tools/extract_teacher_features.py',
             setup['teacher'], find_checkpoint(teacher.run_dir),
             '--out-dir', feats, '--cfg-options'] + data.options('audio'),
            'teacher features')
        for name, key in (('student alone', 'student'),
                          ('MNF + CSC', 'distill')):
            print(f'[seed {seed}] {name}', flush=True)
            student = Run(
                osp.join(ROOT, setup[key]), seed, osp.join(seed_dir, key),
                options=tuple(data.options(
                    'video', feats if key == 'distill' else None)),
                train_options=epochs_option(args.epochs), dump=True)
            results[name].append(
                train_and_test(runner, student, len(classes)))
            curves[name].append(read_val_curve(student.run_dir))

    table = format_accuracy_table(results, classes, args.seeds)
    png = osp.join(work_dir, 'val_curves.png')
    plot_val_curves(curves,
                    f'{args.dataset}: students on the validation split', png)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(dict(dataset=args.dataset, seeds=args.seeds,
                       classes=classes, results=results), f, indent=1)
    print(f'\nTest accuracy ({args.dataset}, last checkpoints):\n{table}')
    print(f'\ntable: {osp.join(work_dir, "results.md")}\ncurves: {png}')


if __name__ == '__main__':
    main()
