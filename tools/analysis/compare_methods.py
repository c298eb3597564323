# Copyright (c) mmxkd contributors. All rights reserved.
"""Compare distillation methods: train and test every config with every
seed, then tabulate the test metrics (mean +- std over the seeds).

Each run is ``tools/train.py`` then ``tools/test.py`` on its final (or, with
``--checkpoint best``, its best) checkpoint, in
``<work-dir>/<config stem>/seed<S>``; the tools' output goes to the run's
``run.log``. A run's ``metrics.json`` marks it done: a later invocation skips
it (or, if it was tested on the other ``--checkpoint``, only tests it), and
resumes (``--resume``) a run whose training was interrupted. A run
that fails is reported and the others go on; the command then exits non-zero
after writing the summary of the runs that finished:
``comparison.md`` (table), ``comparison.csv`` (every metric of every run) and
``comparison.png`` (grouped bars with the std as error bars).

``--cfg-options`` go to every run; ``--cfg-options-for NAME KEY=VALUE ...``
(repeatable) only to the runs of the method NAME (a ``--names`` name, or
without ``--names`` a config stem), after ``--cfg-options``.
A run directory is named by config stem and seed, and keeps the digests of
its inputs in ``inputs.json`` (the built config with the options and seed,
the teacher checkpoint, teacher features and data the config names): a run
whose inputs changed since (another teacher, other data, other options) is
not reused but reported as failed, naming what changed; delete its
directory to redo it.

The teacher-dependence control (``--scrambled-control``): every config with
a teacher (non-empty ``model.heads``) is also trained with a scrambled
teacher, every training clip's sound and teacher feature taken from a clip
of another class (``train_dataloader.dataset.swap_sound_ratio=1.0``,
``swap_sound_seed`` the run's seed), in
``<work-dir>/<config stem>/scrambled-teacher/seed<S>``, as the row
``<method> (scrambled teacher)``. With it (or with ``--baseline``) the table
has the gain of the ``--gain-metric`` over the ``--baseline`` (the student
alone) and, with the control, over the method's scrambled control: per
seed, the difference of the two runs of that seed; mean +- std (ddof=0)
over the seeds. A method *distils* if it beats both, by this rule:

{rule}.

The table also goes to ``comparison_summary.csv`` (one row per method).

``--csv-out PATH`` also writes ``comparison.csv`` to PATH (e.g. beside a
method's README), the command line to PATH with the extension ``.cmd`` and,
with gains, ``comparison_summary.csv`` to ``<PATH stem>.summary.csv``.
Example::

    python tools/analysis/compare_methods.py CFG_STUDENT CFG_OURS \\
        --seeds 3 5 7 --names student ours --scrambled-control \\
        --work-dir work_dirs/compare_grid
"""
import argparse
import os
import os.path as osp
import shlex
import sys
import textwrap
from typing import Dict, List, Optional, Tuple

from mmxkd.experiments import (CHECKPOINTS, DISTILS_RULE, ExperimentRunner,
                               Gains, Run, config_stem, format_comparison_csv,
                               format_comparison_table, format_summary_csv,
                               has_teacher, plot_metric_bars, run_grid,
                               scrambled_name, scrambled_options)
from mmxkd.fileio import atomic_open

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRAMBLED = 'scrambled teacher'
# The run directory of a config's scrambled-teacher control, under its own.
SCRAMBLED_DIR = 'scrambled-teacher'
__doc__ = __doc__.replace('{rule}', textwrap.fill(DISTILS_RULE, 76))


def parse_args() -> argparse.Namespace:
    """The command's arguments, checked (see :func:`check_args`)."""
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('configs', nargs='+', help='one config per method')
    parser.add_argument('--seeds', type=int, nargs='+', default=[3])
    parser.add_argument(
        '--work-dir', default='work_dirs/compare_methods',
        help='runs go to <work-dir>/<config stem>/seed<S>, the summary to '
        '<work-dir>/comparison.{md,csv,png}')
    parser.add_argument(
        '--names', nargs='+',
        help='method names for the table and plot, one per config '
        '(default: the config stems)')
    parser.add_argument(
        '--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
        help='passed to every train and test run')
    parser.add_argument(
        '--cfg-options-for', nargs='+', action='append', default=[],
        metavar='NAME KEY=VALUE',
        help='passed to the train and test runs of method NAME only '
        '(repeatable)')
    parser.add_argument('--title', help='title of the table and plot')
    parser.add_argument(
        '--checkpoint', choices=CHECKPOINTS, default='last',
        help='test the final checkpoint or the best_*.pth one')
    parser.add_argument(
        '--scrambled-control', action='store_true',
        help='also train every config with a teacher with a scrambled one '
        '(swap_sound_ratio=1.0), as the row "<method> (scrambled teacher)", '
        'and tabulate the gains and whether each method distils (see '
        'above)')
    parser.add_argument(
        '--baseline', metavar='NAME',
        help='the method the gains are over, the student alone (default '
        'with --scrambled-control: the one config without model.heads); '
        'without --scrambled-control, gives the table the gains over it')
    parser.add_argument(
        '--gain-metric', default='acc/top1', metavar='KEY',
        help='the test metric of the gains and the distils rule')
    parser.add_argument(
        '--csv-out', metavar='PATH',
        help='also write comparison.csv to PATH, the command to PATH with '
        'the extension .cmd and, with gains, the summary to '
        '<PATH stem>.summary.csv')
    args = parser.parse_args()
    check_args(parser, args)
    if args.names is None:
        args.names = [config_stem(path) for path in args.configs]
    args.with_teacher = find_teachers(parser, args)
    return args


def find_teachers(parser: argparse.ArgumentParser,
                  args: argparse.Namespace) -> Dict[str, bool]:
    """Which methods have a teacher; with ``--scrambled-control``, also
    settle ``args.baseline`` (the one method without).

    Returns:
        Method name -> whether its config (with its options) has
        ``model.heads``; empty without ``--scrambled-control``.
    """
    if not args.scrambled_control:
        return {}
    options = method_options(args)
    with_teacher = {}
    for config, name in zip(args.configs, args.names):
        try:
            with_teacher[name] = has_teacher(config, options[name])
        except Exception as error:  # any error of the config's code
            parser.error(f'cannot read {config}: {error}')
    if args.baseline is None:
        alone = [name for name, teacher in with_teacher.items()
                 if not teacher]
        if len(alone) != 1:
            parser.error(
                '--scrambled-control needs --baseline NAME unless exactly '
                'one method has no teacher (methods without a teacher: '
                f'{", ".join(alone) or "none"})')
        args.baseline = alone[0]
    return with_teacher


def check_options(parser: argparse.ArgumentParser, flag: str,
                  options: List[str]) -> None:
    """Reject options that are not KEY=VALUE or that set the seed."""
    for option in options:
        if '=' not in option:
            parser.error(f'{flag} takes KEY=VALUE, got {option!r}')
        if option.split('=', 1)[0] == 'randomness.seed':
            parser.error(f'randomness.seed is set by --seeds, not {flag}')


def check_args(parser: argparse.ArgumentParser,
               args: argparse.Namespace) -> None:
    """Reject what would fail or collide before anything runs."""
    for path in args.configs:
        if not osp.isfile(path):
            parser.error(f'config file not found: {path}')
    stems = [config_stem(path) for path in args.configs]
    for stem in set(stems):
        if stems.count(stem) > 1:
            same = [p for p, s in zip(args.configs, stems) if s == stem]
            parser.error(f'duplicate configs (their runs would share '
                         f'{stem}/): {" ".join(same)}')
    if args.names is not None:
        if len(args.names) != len(args.configs):
            parser.error(f'--names has {len(args.names)} names for '
                         f'{len(args.configs)} configs')
        if len(set(args.names)) != len(args.names):
            parser.error(f'duplicate --names: {" ".join(args.names)}')
    if args.baseline is not None and args.baseline not in (args.names
                                                           or stems):
        parser.error(f'--baseline {args.baseline}: no such method (one of '
                     f'{", ".join(args.names or stems)})')
    if len(set(args.seeds)) != len(args.seeds):
        parser.error(f'duplicate --seeds: {" ".join(map(str, args.seeds))}')
    check_options(parser, '--cfg-options', args.cfg_options)
    names = args.names or stems
    for name, *options in args.cfg_options_for:
        if name not in names:
            parser.error(f'--cfg-options-for {name}: no such method (one of '
                         f'{", ".join(names)})')
        check_options(parser, '--cfg-options-for', options)


def method_options(args: argparse.Namespace) -> Dict[str, List[str]]:
    """The ``--cfg-options`` of each method's runs."""
    options = {name: list(args.cfg_options) for name in args.names}
    for name, *more in args.cfg_options_for:
        options[name] += more
    return options


def build_grid(args: argparse.Namespace,
               work_dir: str) -> List[Tuple[str, Run]]:
    """Every (row name, run) of the comparison, seed-major (so that an
    interrupted grid has comparable rows), each method's scrambled control
    right after it."""
    options = method_options(args)
    grid = []
    for seed in args.seeds:
        for config, name in zip(args.configs, args.names):
            run_dir = osp.join(work_dir, config_stem(config))
            grid.append((name, Run(config, seed,
                                   osp.join(run_dir, f'seed{seed}'),
                                   options=tuple(options[name]),
                                   checkpoint=args.checkpoint)))
            if args.with_teacher.get(name):
                grid.append((scrambled_name(name), Run(
                    config, seed,
                    osp.join(run_dir, SCRAMBLED_DIR, f'seed{seed}'),
                    options=tuple(options[name]),
                    train_options=scrambled_options(seed),
                    checkpoint=args.checkpoint, variant=SCRAMBLED)))
    return grid


def comparison_gains(args: argparse.Namespace) -> Optional[Gains]:
    """The gain columns of the comparison, if it has a baseline."""
    if args.baseline is None:
        return None
    return Gains(args.baseline, args.gain_metric,
                 {name: scrambled_name(name)
                  for name, teacher in args.with_teacher.items() if teacher})


def write(path: str, text: str) -> None:
    """Replace a file (whole or not at all), making its folder."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with atomic_open(path) as f:
        f.write(text)


def main() -> None:
    """Run the grid, then write and print the summary."""
    args = parse_args()
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    title = args.title or 'Test metrics, seeds ' + ' '.join(
        map(str, args.seeds))
    grid = build_grid(args, work_dir)
    records, failed = run_grid(
        ExperimentRunner(ROOT, log_to_file=True), [run for _, run in grid])
    results = {name: [] for name, _ in grid}
    for (name, _), record in zip(grid, records):
        if record is not None:
            results[name].append(record)

    command = 'python ' + shlex.join(sys.argv)
    gains = comparison_gains(args)
    table = format_comparison_table(results, title, command, args.checkpoint,
                                    args.seeds, gains)
    csv_text = format_comparison_csv(results)
    outputs = {osp.join(work_dir, 'comparison.md'): table,
               osp.join(work_dir, 'comparison.csv'): csv_text}
    if args.csv_out:
        stem = osp.splitext(args.csv_out)[0]
        outputs[args.csv_out] = csv_text
        outputs[stem + '.cmd'] = command + '\n'
    if gains is not None:
        summary = format_summary_csv(results, gains)
        outputs[osp.join(work_dir, 'comparison_summary.csv')] = summary
        if args.csv_out:
            outputs[stem + '.summary.csv'] = summary
    for path, text in outputs.items():
        write(path, text)
    png = osp.join(work_dir, 'comparison.png')
    print('\n' + table)
    table_file, csv_file, *more = outputs
    print(f'table: {table_file}\ncsv: {csv_file}')
    for path in more:
        print(f'also: {path}')
    if plot_metric_bars(results, title, png):
        print(f'plot: {png}')
    else:
        print('plot: none (no run finished)')
    if failed:
        print(f'\n{len(failed)} of {len(grid)} runs failed:\n  ' +
              '\n  '.join(failed))
        sys.exit(1)


if __name__ == '__main__':
    main()
