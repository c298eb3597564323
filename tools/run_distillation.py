# Copyright (c) mmxkd contributors. All rights reserved.
"""The main job, one command: audio -> teacher -> teacher features ->
student alone vs. MNF + CSC student (and its scrambled-teacher control) ->
table, curves and an MNF picture.

For each seed it trains the audio teacher on log-mel spectrograms, writes its
features for every training clip, trains the video student alone, the
MNF + CSC student and, unless ``--no-control``, the same MNF + CSC with a
scrambled teacher (every training clip's sound and teacher feature from a
clip of another class: the row ``MNF + CSC (scrambled teacher)``), all with
the same data, schedule and seed, and tests them with ``tools/test.py``. The
MNF + CSC runs get the trained teacher's checkpoint as
``model.teacher.classifier.checkpoint``. It then prints a table (top-1,
top-5 and per-class accuracy, mean +- std over the seeds) and the gains of
MNF + CSC over the student alone and over its control, writes a PNG with
the students' validation curves and draws the MNF of the first seed's
MNF + CSC student on one training clip (``tools/visualizations/vis_mnf.py``,
in ``<work-dir>/mnf``). Every step is one of the project's own tools, run as
a user would run it; finished runs are kept and not repeated, an interrupted
training is resumed (see :mod:`mmxkd.experiments.runner`).

Data: ``--dataset synthetic-scenes`` (default) generates scene clips
(``generate_synthetic_av.py --design scenes``: the class's square in one
quadrant among distractors, 25 % of the training clips labelled, the
recommended label-scarce MNF + CSC with the teacher's labels) if
``--data-root`` has none; ``--dataset synthetic`` is the earlier
full-frame design with every clip labelled; ``--dataset grid-word-all``
(every word of GRID's sentences, 51-way, a student with 16 tokens for the
MNF) prepares GRID from ``--grid-root`` (GRID's official layout or the
project's re-encoded copy) if ``--data-root`` has not been prepared yet.
"""
import argparse
import os
import os.path as osp
import sys
import time
from typing import Dict, List, Optional, Tuple

from mmxkd.experiments import (PREDICTIONS_FILE, ExperimentRunner, Gains, Run,
                               RunRecord, distils_cell, find_checkpoint,
                               format_accuracy_table, gain_cell,
                               markdown_table, method_gains, plot_val_curves,
                               prediction_scores, read_val_curve, run_command,
                               scrambled_name, scrambled_options)
from mmxkd.experiments.records import LOG_FILE, RunError, log_tail
from mmxkd.fileio import save_json, write_lines

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TEACHER = 'configs/audio_teacher/tsn-audio_r18_1xb16-5e_synthetic-av-logmel.py'
SETUPS = {
    # the class in one quadrant among distractors, 25 % labelled
    'synthetic-scenes': dict(
        teacher=TEACHER,
        student='configs/student_only/'
        'student_r2plus1d-tiny-tokens_1xb8-20e_synthetic-av-scenes-25pct.py',
        distill='configs/mnf_csc/mnf-csc-teacher-labels_r2plus1d-tiny-tokens_'
        'tsn-audio-r18_1xb8-20e_synthetic-av-scenes-25pct.py',
        data_root='data/synthetic_av_scenes',
        generate=('--design', 'scenes', '--contrast', '40', '--num-train',
                  '320', '--num-val', '128')),
    'synthetic': dict(
        teacher=TEACHER,
        student='configs/student_only/'
        'student_r2plus1d-tiny_1xb8-20e_synthetic-av.py',
        distill='configs/mnf_csc/'
        'mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-20e_synthetic-av.py',
        data_root='data/synthetic_av',
        generate=()),
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
METHOD = 'MNF + CSC'
CONTROL = scrambled_name(METHOD)
ROWS = ('audio teacher', 'student alone', METHOD, CONTROL)


def parse_args() -> argparse.Namespace:
    """The job's arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--dataset', choices=list(SETUPS), default='synthetic-scenes')
    parser.add_argument('--data-root', help='default: per dataset')
    parser.add_argument('--grid-root', help='GRID download (grid-* only)')
    parser.add_argument('--work-dir', help='default: work_dirs/'
                        'run_distillation_<dataset>')
    parser.add_argument('--seeds', type=int, nargs='+', default=[3])
    parser.add_argument('--epochs', type=int, help='override student epochs')
    parser.add_argument(
        '--teacher-epochs', type=int, help='override teacher epochs')
    parser.add_argument(
        '--no-control',
        action='store_true',
        help='skip the scrambled-teacher control of MNF + CSC')
    parser.add_argument(
        '--verbose',
        action='store_true',
        help="every tool's output on the terminal (default: in the run "
        "dirs' run.log and <work-dir>/steps.log)")
    args = parser.parse_args()
    for name in ('epochs', 'teacher_epochs'):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f'--{name.replace("_", "-")} must be >= 1')
    return args


class Steps:
    """Runs the job's tools from the repository root.

    Args:
        log_file: Where each command and its output are appended; without
            it they go to the terminal.
    """

    def __init__(self, log_file: Optional[str]) -> None:
        self.log_file = log_file

    def __call__(self, cmd: List[str], step: str) -> None:
        """Run one tool; raises ``RunError`` (naming ``step``) if it
        fails."""
        start = time.time()
        if self.log_file:
            print(f'  {step} ... ', end='', flush=True)
        try:
            run_command(cmd, ROOT, step, self.log_file)
        except RunError as error:
            raise RunError(f'{error}; see {self.log_file}') from error
        if self.log_file:
            print(f'done in {time.time() - start:.0f} s', flush=True)


class Data:
    """Where the clips, spectrograms and lists of one dataset are."""

    def __init__(self, dataset: str, root: str) -> None:
        self.root = root
        if dataset.startswith('synthetic'):
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


def prepare_data(args: argparse.Namespace, root: str, run: Steps) -> Data:
    """Generate or prepare the clips in ``root`` unless there, and their
    log-mel spectrograms."""
    py = sys.executable
    setup = SETUPS[args.dataset]
    if 'generate' in setup:
        if not osp.isfile(osp.join(root, 'val.txt')):
            run([py, 'tools/data/synthetic/generate_synthetic_av.py', root,
                 *setup['generate']], 'clip generation')
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
                   num_classes: int) -> Tuple[RunRecord, Dict[str, object]]:
    """Train (unless done) and test a run; returns its record and its test
    scores (see :func:`prediction_scores`)."""
    record, skipped = runner.run(run)
    if skipped:
        print(f'done before: {run.run_dir}', flush=True)
    elif runner.log_to_file:
        print('done', flush=True)
    return record, prediction_scores(
        osp.join(run.run_dir, PREDICTIONS_FILE), num_classes)


def format_gains(records: Dict[str, List[RunRecord]]) -> str:
    """The top-1 gains of MNF + CSC over the student alone and, if it ran,
    over its scrambled-teacher control, as a markdown table."""
    gains = Gains('student alone',
                  controls={METHOD: CONTROL} if records.get(CONTROL) else {})
    found = method_gains(records, gains, METHOD)
    head = ['method', 'top-1 gain vs student alone']
    row = [METHOD, gain_cell(found.over_baseline)]
    if gains.controls:
        head += ['top-1 gain vs scrambled', 'distils']
        row += [gain_cell(found.over_scrambled), distils_cell(found.distils)]
    return '\n'.join(markdown_table(head, [row]))


def draw_mnf(config: str, run_dir: str, options: List[str], out_dir: str,
             run: Steps) -> None:
    """Draw the MNF of a trained MNF + CSC run on its first training clip
    (``tools/visualizations/vis_mnf.py``)."""
    run([sys.executable, 'tools/visualizations/vis_mnf.py', config,
         find_checkpoint(run_dir), '--out-dir', out_dir, '--clips', '1',
         '--cfg-options', *options], 'MNF picture')


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
    os.makedirs(work_dir, exist_ok=True)
    run = Steps(None if args.verbose else osp.join(work_dir, 'steps.log'))
    if run.log_file:
        print(f'tool output: each run dir\'s {LOG_FILE} and {run.log_file}',
              flush=True)
    print(f'[data] {args.dataset} in {root}', flush=True)
    data = prepare_data(args, root, run)
    with open(data.classes) as f:
        classes = [line.strip() for line in f if line.strip()]

    runner = ExperimentRunner(ROOT, log_to_file=not args.verbose)
    rows = ROWS[:-1] if args.no_control else ROWS
    results = {name: [] for name in rows}
    records = {name: [] for name in rows}
    curves = {name: [] for name in rows[1:]}

    def train(name: str, job: Run) -> None:
        """Train and test ``job``, the row ``name`` of the table."""
        print(f'[seed {job.seed}] {name}', end=': ' if runner.log_to_file
              else '\n', flush=True)
        try:
            record, scores = train_and_test(runner, job, len(classes))
        except RunError as error:
            tail = ''
            if runner.log_to_file:
                log = osp.join(job.run_dir, LOG_FILE)
                tail = f'\n{log} ends with:\n{log_tail(log)}'
            raise SystemExit(f'{name} (seed {job.seed}): {error}{tail}')
        records[name].append(record)
        results[name].append(scores)
        if name in curves:
            curves[name].append(read_val_curve(job.run_dir))

    mnf_picture = None
    for seed in args.seeds:
        seed_dir = osp.join(work_dir, f'seed{seed}')
        teacher = Run(
            osp.join(ROOT, setup['teacher']), seed,
            osp.join(seed_dir, 'teacher'),
            options=tuple(data.options('audio')),
            train_options=epochs_option(args.teacher_epochs), dump=True)
        train('audio teacher', teacher)
        feats = osp.join(teacher.run_dir, 'features')
        print(f'[seed {seed}] teacher features', flush=True)
        run([sys.executable, 'tools/extract_teacher_features.py',
             setup['teacher'], find_checkpoint(teacher.run_dir),
             '--out-dir', feats, '--cfg-options'] + data.options('audio'),
            'teacher features')
        train('student alone', Run(
            osp.join(ROOT, setup['student']), seed,
            osp.join(seed_dir, 'student'),
            options=tuple(data.options('video')),
            train_options=epochs_option(args.epochs), dump=True))
        # the teacher's classifier: the teacher's labels, logit terms
        distill_options = data.options('video', feats) + [
            'model.teacher.classifier.checkpoint=' +
            find_checkpoint(teacher.run_dir)]
        distill = Run(
            osp.join(ROOT, setup['distill']), seed,
            osp.join(seed_dir, 'distill'), options=tuple(distill_options),
            train_options=epochs_option(args.epochs), dump=True)
        train(METHOD, distill)
        if CONTROL in rows:
            train(CONTROL, Run(
                distill.config, seed, osp.join(seed_dir, 'distill-scrambled'),
                options=distill.options,
                train_options=distill.train_options + scrambled_options(seed),
                dump=True, variant='scrambled teacher'))
        if mnf_picture is None:
            print(f'[seed {seed}] MNF picture', flush=True)
            mnf_picture = osp.join(work_dir, 'mnf')
            draw_mnf(setup['distill'], distill.run_dir, distill_options,
                     mnf_picture, run)

    table = format_accuracy_table(results, classes, args.seeds)
    png = osp.join(work_dir, 'val_curves.png')
    plot_val_curves(curves,
                    f'{args.dataset}: students on the validation split', png)
    gains = format_gains(records)
    write_lines(osp.join(work_dir, 'results.md'), [table, '', gains])
    save_json(osp.join(work_dir, 'results.json'),
              dict(dataset=args.dataset, seeds=args.seeds, classes=classes,
                   results=results), indent=1)
    print(f'\nTest accuracy ({args.dataset}, last checkpoints):\n{table}')
    how = ('one seed: figures, no verdict (distils needs 2 seeds or more)'
           if len(args.seeds) == 1 else 'paired by seed, mean +- std')
    print(f'\nGains ({how}):\n{gains}')
    print(f'\ntable: {osp.join(work_dir, "results.md")}\ncurves: {png}\n'
          f'MNF picture: {mnf_picture}')


if __name__ == '__main__':
    main()
