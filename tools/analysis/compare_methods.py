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

Runs are identified by config stem and seed only: delete a run's directory
to redo it after changing ``--cfg-options``. Example::

    python tools/analysis/compare_methods.py CFG_A CFG_B --seeds 3 5 7 \\
        --names baseline ours --work-dir work_dirs/compare_grid
"""
import argparse
import csv
import io
import json
import os
import os.path as osp
import shlex
import subprocess
import sys
import time
from glob import glob
from typing import Dict, List, Optional

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# Test metric key -> table column; the table, CSV and plot follow this order.
COLUMNS = {
    'acc/top1': 'top-1',
    'acc/top5': 'top-5',
    'retrieval/mAP': 'retrieval mAP',
    'retrieval/R@1': 'R@1',
    'retrieval/R@5': 'R@5',
}
# Shown only when some run reports them (e.g. the audio tagging of the
# reverse direction).
OPTIONAL_COLUMNS = {
    'tagging/mAP': 'tagging mAP',
    'tagging/micro_mAP': 'tagging micro-mAP',
}
# Keys of MMEngine's test log line that are timings, not metrics.
NOT_METRICS = frozenset({'time', 'data_time', 'memory'})
LOG_TAIL_LINES = 20


class RunError(Exception):
    """A step of one run failed; the message says which and why."""


def parse_args() -> argparse.Namespace:
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
    parser.add_argument('--title', help='title of the table and plot')
    parser.add_argument(
        '--checkpoint', choices=['last', 'best'], default='last',
        help='test the final checkpoint or the best_*.pth one')
    args = parser.parse_args()
    check_args(parser, args)
    return args


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
    for option in args.cfg_options:
        if '=' not in option:
            parser.error(f'--cfg-options takes KEY=VALUE, got {option!r}')
        if option.split('=', 1)[0] == 'randomness.seed':
            parser.error('randomness.seed is set by --seeds, not '
                         '--cfg-options')


def config_stem(path: str) -> str:
    """The config file name without ``.py``: the run directory's name."""
    return osp.splitext(osp.basename(path))[0]


def run_step(cmd: List[str], log_file: str, step: str) -> None:
    """Run a tool from the repository root, its output appended to
    ``log_file``."""
    with open(log_file, 'a') as log:
        log.write(f'\n$ {shlex.join(cmd)}\n')
        log.flush()
        proc = subprocess.run(
            cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise RunError(f'{step} exited with {proc.returncode}')


def find_checkpoint(run_dir: str, which: str) -> str:
    """The run's final checkpoint (``last_checkpoint`` is read relative to
    ``run_dir``, which may have moved) or its single ``best_*.pth``."""
    if which == 'last':
        with open(osp.join(run_dir, 'last_checkpoint')) as f:
            checkpoint = osp.join(run_dir, osp.basename(f.read().strip()))
        if not osp.isfile(checkpoint):
            raise RunError(f'last_checkpoint names {checkpoint}, which does '
                           'not exist')
        return checkpoint
    best = sorted(glob(osp.join(run_dir, 'best_*.pth')))
    if len(best) != 1:
        raise RunError(f'--checkpoint best needs one best_*.pth in {run_dir}'
                       f', found {len(best)}')
    return best[0]


def read_test_metrics(test_dir: str) -> Dict[str, float]:
    """The metrics of the newest test log, ``<ts>/<ts>.json`` as written by
    MMEngine's LoggerHook."""
    logs = sorted(
        path for path in glob(osp.join(test_dir, '*', '*.json'))
        if osp.basename(path) == osp.basename(osp.dirname(path)) + '.json')
    if not logs:
        raise RunError(f'the test wrote no metrics to {test_dir}/<ts>/')
    with open(logs[-1]) as f:
        lines = [line for line in f if line.strip()]
    return {key: value for key, value in json.loads(lines[-1]).items()
            if key not in NOT_METRICS}


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all."""
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


def load_done(run_dir: str) -> Optional[dict]:
    """``metrics.json`` of a finished run, or None."""
    path = osp.join(run_dir, 'metrics.json')
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def train_and_test(config: str, seed: int, run_dir: str,
                   args: argparse.Namespace, trained: bool) -> dict:
    """Train one run unless ``trained`` (resuming if it has a checkpoint),
    then test it; writes and returns its ``metrics.json`` content."""
    os.makedirs(run_dir, exist_ok=True)
    log_file = osp.join(run_dir, 'run.log')
    config_file = osp.abspath(config)
    if not trained:
        train = [
            sys.executable, 'tools/train.py', config_file, '--work-dir',
            run_dir, '--cfg-options', f'randomness.seed={seed}'
        ] + args.cfg_options
        resume = osp.isfile(osp.join(run_dir, 'last_checkpoint'))
        print('train (resumed) ... ' if resume else 'train ... ', end='',
              flush=True)
        run_step(train + (['--resume'] if resume else []), log_file, 'train')
    checkpoint = find_checkpoint(run_dir, args.checkpoint)
    print(f'test {osp.basename(checkpoint)} ... ', end='', flush=True)
    test_dir = osp.join(run_dir, 'test')
    options = ['--cfg-options'] + args.cfg_options if args.cfg_options else []
    run_step([sys.executable, 'tools/test.py', config_file, checkpoint,
              '--work-dir', test_dir] + options, log_file, 'test')
    done = dict(
        config=config, seed=seed, checkpoint=osp.basename(checkpoint),
        metrics=read_test_metrics(test_dir))
    write_atomic(
        osp.join(run_dir, 'metrics.json'), json.dumps(done, indent=1) + '\n')
    return done


def log_tail(run_dir: str) -> str:
    """The last lines of the run's ``run.log``, indented."""
    path = osp.join(run_dir, 'run.log')
    if not osp.isfile(path):
        return '    (no run.log)'
    with open(path, errors='replace') as f:
        lines = f.read().splitlines()[-LOG_TAIL_LINES:]
    return '\n'.join('    ' + line for line in lines)


def cell(values: List[float]) -> str:
    """``mean +- std`` (ddof=0) of a metric over seeds; ``-`` if none."""
    if not values:
        return '-'
    if len(values) == 1:
        return f'{values[0]:.4f}'
    return f'{np.mean(values):.4f} +- {np.std(values):.4f}'


def metric_values(runs: List[dict], key: str) -> List[float]:
    """The values of metric ``key`` in the runs that have it."""
    return [run['metrics'][key] for run in runs if key in run['metrics']]


def table_columns(results: Dict[str, List[dict]]) -> Dict[str, str]:
    """``COLUMNS``, then the optional columns that some run has."""
    found = {key for runs in results.values() for run in runs
             for key in run['metrics']}
    return dict(COLUMNS, **{key: name for key, name in
                            OPTIONAL_COLUMNS.items() if key in found})


def format_table(results: Dict[str, List[dict]], args: argparse.Namespace,
                 title: str) -> str:
    """``comparison.md``: the command line, then one row per method."""
    seeds = ' '.join(map(str, args.seeds))
    columns = table_columns(results)
    head = ['method'] + list(columns.values()) + ['seeds']
    lines = [
        f'# {title}', '', '```', 'python ' + shlex.join(sys.argv), '```', '',
        f'Test metrics of the {args.checkpoint} checkpoints: mean +- std '
        f'over seeds {seeds} (std with ddof=0; one seed: the value).', '',
        '| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)
    ]
    for name, runs in results.items():
        cells = [name] + [cell(metric_values(runs, key)) for key in columns]
        lines.append('| ' + ' | '.join(cells + [str(len(runs))]) + ' |')
    return '\n'.join(lines) + '\n'


def format_csv(results: Dict[str, List[dict]]) -> str:
    """``comparison.csv``: one row per run with every metric found."""
    runs = [(name, run) for name, name_runs in results.items()
            for run in name_runs]
    keys = [key for key in COLUMNS
            if any(key in run['metrics'] for _, run in runs)]
    keys += sorted({key for _, run in runs for key in run['metrics']} -
                   set(keys))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(['method', 'config', 'seed', 'checkpoint'] + keys)
    for name, run in runs:
        writer.writerow(
            [name, run['config'], run['seed'], run['checkpoint']] +
            [run['metrics'].get(key, '') for key in keys])
    return out.getvalue()


def plot(results: Dict[str, List[dict]], title: str, out_file: str) -> bool:
    """Grouped bars, one group per table metric that some run has; returns
    False (and writes nothing) if no run has any."""
    columns = table_columns(results)
    keys = [key for key in columns
            if any(metric_values(runs, key) for runs in results.values())]
    if not keys:
        return False
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    width = 0.8 / len(results)
    fig, ax = plt.subplots(
        figsize=(max(6, 1 + len(keys) * (0.5 + 0.3 * len(results))), 4))
    for i, (name, runs) in enumerate(results.items()):
        groups, means, stds = [], [], []
        for group, key in enumerate(keys):
            values = metric_values(runs, key)
            if values:
                groups.append(group + (i - (len(results) - 1) / 2) * width)
                means.append(np.mean(values))
                stds.append(np.std(values))
        ax.bar(groups, means, width, yerr=stds, capsize=3, label=name)
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([columns[key] for key in keys])
    ax.set_ylabel('test metric (mean +- std over seeds)')
    ax.set_title(title)
    ax.grid(axis='y', alpha=0.3)
    ax.legend(fontsize='small', loc='upper left', bbox_to_anchor=(1.01, 1))
    tmp = out_file + '.tmp'
    fig.savefig(tmp, dpi=120, format='png', bbox_inches='tight')
    plt.close(fig)
    os.replace(tmp, out_file)
    return True


def main() -> None:
    args = parse_args()
    configs = args.configs
    names = args.names or [config_stem(path) for path in configs]
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    title = args.title or 'Test metrics, seeds ' + ' '.join(
        map(str, args.seeds))

    results = {name: [] for name in names}
    failed = []
    # Seed-major, so an interrupted grid has comparable rows.
    grid = [(seed, config, name) for seed in args.seeds
            for config, name in zip(configs, names)]
    for i, (seed, config, name) in enumerate(grid, 1):
        run_dir = osp.join(work_dir, config_stem(config), f'seed{seed}')
        print(f'[{i}/{len(grid)}] {config_stem(config)} seed {seed}: ',
              end='', flush=True)
        done = load_done(run_dir)
        if done is not None and (args.checkpoint == 'best') == (
                done['checkpoint'].startswith('best_')):
            print(f'skipped, done before ({run_dir}/metrics.json)',
                  flush=True)
            results[name].append(done)
            continue
        # A run tested on its other checkpoint is only tested again.
        trained = done is not None
        start = time.time()
        try:
            results[name].append(
                train_and_test(config, seed, run_dir, args, trained))
        except (RunError, OSError, ValueError) as error:
            print(f'FAILED after {time.time() - start:.0f} s: {error}\n'
                  f'  {run_dir}/run.log ends with:\n{log_tail(run_dir)}',
                  flush=True)
            failed.append(f'{config_stem(config)} seed {seed}: {error}')
            continue
        print(f'done in {time.time() - start:.0f} s', flush=True)

    table = format_table(results, args, title)
    write_atomic(osp.join(work_dir, 'comparison.md'), table)
    write_atomic(osp.join(work_dir, 'comparison.csv'), format_csv(results))
    png = osp.join(work_dir, 'comparison.png')
    print('\n' + table)
    print(f'table: {osp.join(work_dir, "comparison.md")}\n'
          f'csv: {osp.join(work_dir, "comparison.csv")}')
    if plot(results, title, png):
        print(f'plot: {png}')
    else:
        print('plot: none (no run finished)')
    if failed:
        print(f'\n{len(failed)} of {len(grid)} runs failed:\n  ' +
              '\n  '.join(failed))
        sys.exit(1)


if __name__ == '__main__':
    main()
