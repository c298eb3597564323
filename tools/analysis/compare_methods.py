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
Runs are identified by config stem and seed only: delete a run's directory
to redo it after changing the options. Example::

    python tools/analysis/compare_methods.py CFG_A CFG_B --seeds 3 5 7 \\
        --names baseline ours --work-dir work_dirs/compare_grid
"""
import argparse
import os
import os.path as osp
import shlex
import sys
from typing import Dict, List

from mmxkd.apis import (ExperimentRunner, Run, config_stem,
                        format_comparison_csv, format_comparison_table,
                        plot_metric_bars, run_grid)
from mmxkd.apis.experiment import CHECKPOINTS
from mmxkd.fileio import atomic_open

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """The command's arguments, checked (see :func:`check_args`)."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
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
    args = parser.parse_args()
    check_args(parser, args)
    if args.names is None:
        args.names = [config_stem(path) for path in args.configs]
    return args


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


def main() -> None:
    """Run the grid, then write and print the summary."""
    args = parse_args()
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    title = args.title or 'Test metrics, seeds ' + ' '.join(
        map(str, args.seeds))
    options = method_options(args)
    # Seed-major, so an interrupted grid has comparable rows.
    grid = [(name, Run(config, seed,
                       osp.join(work_dir, config_stem(config), f'seed{seed}'),
                       options=tuple(options[name]),
                       checkpoint=args.checkpoint))
            for seed in args.seeds
            for config, name in zip(args.configs, args.names)]
    records, failed = run_grid(
        ExperimentRunner(ROOT, log_to_file=True), [run for _, run in grid])
    results = {name: [] for name in args.names}
    for (name, _), record in zip(grid, records):
        if record is not None:
            results[name].append(record)

    table = format_comparison_table(results, title,
                                    'python ' + shlex.join(sys.argv),
                                    args.checkpoint, args.seeds)
    with atomic_open(osp.join(work_dir, 'comparison.md')) as f:
        f.write(table)
    with atomic_open(osp.join(work_dir, 'comparison.csv')) as f:
        f.write(format_comparison_csv(results))
    png = osp.join(work_dir, 'comparison.png')
    print('\n' + table)
    print(f'table: {osp.join(work_dir, "comparison.md")}\n'
          f'csv: {osp.join(work_dir, "comparison.csv")}')
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
