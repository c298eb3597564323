# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/analysis/compare_methods.py: two configs x one seed on generated
clips (one epoch), then the same command again, which only re-reads, then
with the scrambled-teacher control, which trains only the control run."""
import csv
import io
import os.path as osp
import re
import sys
from glob import glob

import pytest

from ..conftest import DISTILL_CFG, STUDENT_CFG, data_options, run_tool

pytestmark = pytest.mark.integration

TOOL = 'tools/analysis/compare_methods.py'


def test_compare_methods_runs_and_skips_done_runs(synthetic_data, tmp_path):
    work_dir = str(tmp_path / 'grid')
    cmd = [
        sys.executable, TOOL, STUDENT_CFG, DISTILL_CFG, '--seeds', '3',
        '--work-dir', work_dir, '--names', 'student', 'MNF + CSC',
        '--cfg-options', 'train_cfg.max_epochs=1'
    ] + data_options(synthetic_data) + [
        '--cfg-options-for', 'MNF + CSC', 'train_cfg.val_interval=1'
    ]
    proc = run_tool(cmd, timeout=900)
    assert '[1/2] student_r2plus1d-tiny_1xb8-20e_synthetic-av seed 3: ' \
        'train ... test epoch_1.pth ... done in' in proc.stdout
    assert '[2/2] mnf-csc_' in proc.stdout

    with open(osp.join(work_dir, 'comparison.md')) as f:
        table = f.read()
    assert TOOL in table
    for name in ('student', 'MNF + CSC'):
        row = re.search(rf'^\| {re.escape(name)} \| (.*) \|$', table, re.M)
        assert row, table
        cells = row.group(1).split(' | ')
        assert re.fullmatch(r'\d\.\d{4}', cells[0]), row.group(0)  # top-1
        assert cells[-1] == '1'  # seeds
        assert row.group(0) in proc.stdout
    with open(osp.join(work_dir, 'comparison.csv')) as f:
        rows = list(csv.DictReader(f))
    assert [(r['method'], r['seed']) for r in rows] == [('student', '3'),
                                                       ('MNF + CSC', '3')]
    assert all(0 <= float(r['acc/top1']) <= 1 for r in rows)
    assert osp.getsize(osp.join(work_dir, 'comparison.png')) > 1000

    # the per-method option reached the MNF + CSC runs only
    logs = {stem: open(osp.join(work_dir, stem, 'seed3', 'run.log')).read()
            for stem in (osp.basename(STUDENT_CFG)[:-3],
                         osp.basename(DISTILL_CFG)[:-3])}
    student_log, distill_log = logs.values()
    assert distill_log.count('train_cfg.val_interval=1') == 2  # train, test
    assert 'train_cfg.val_interval=1' not in student_log

    checkpoints = glob(osp.join(work_dir, '*', 'seed3', '*.pth'))
    assert len(checkpoints) == 4  # epoch_1 and best_* of each run
    mtimes = {path: osp.getmtime(path) for path in checkpoints}
    again = run_tool(cmd, timeout=120)
    assert again.stdout.count('skipped, done before') == 2
    assert 'train ...' not in again.stdout
    assert {path: osp.getmtime(path) for path in checkpoints} == mtimes
    assert row.group(0) in again.stdout
    assert 'gain vs' not in again.stdout
    assert not osp.exists(osp.join(work_dir, 'comparison_summary.csv'))

    # the control: only the scrambled-teacher run of MNF + CSC is new
    csv_out = tmp_path / 'results' / 'grid.csv'
    control = run_tool(cmd + ['--scrambled-control', '--csv-out',
                              str(csv_out)], timeout=900)
    assert control.stdout.count('skipped, done before') == 2
    assert re.search(r'^\[3/3\] mnf-csc_\S+ \(scrambled teacher\) seed 3: '
                     r'train \.\.\. test epoch_1\.pth \.\.\. done in',
                     control.stdout, re.M), control.stdout
    stem = osp.basename(DISTILL_CFG)[:-3]
    dumped = {which: open(osp.join(work_dir, stem, which, 'seed3',
                                   osp.basename(DISTILL_CFG))).read()
              for which in ('.', 'scrambled-teacher')}
    assert re.search(r'swap_sound_ratio=1\.0\b', dumped['scrambled-teacher'])
    assert 'swap_sound_seed=3' in dumped['scrambled-teacher']
    assert not re.search(r'swap_sound_ratio=1', dumped['.'])

    with open(osp.join(work_dir, 'comparison.md')) as f:
        table = f.read()
    assert '--scrambled-control' in table
    assert 'distils = yes when both mean gains exceed' in table
    head = [line for line in table.splitlines() if line.startswith('| method')]
    assert head[0].endswith(' | top-1 gain vs student | top-1 gain vs '
                            'scrambled | distils | seeds |')
    cells = {}
    for name in ('student', 'MNF + CSC', 'MNF + CSC (scrambled teacher)'):
        row = re.search(rf'^\| {re.escape(name)} \| (.*) \|$', table, re.M)
        assert row, table
        cells[name] = row.group(1).split(' | ')
    assert cells['student'][-4:] == ['-', '-', '-', '1']
    assert re.fullmatch(r'[+-]\d\.\d{4}', cells['MNF + CSC'][-4])
    assert re.fullmatch(r'[+-]\d\.\d{4}', cells['MNF + CSC'][-3])
    assert cells['MNF + CSC'][-2] == '-'  # one seed: no verdict
    assert cells['MNF + CSC (scrambled teacher)'][-3:-1] == ['-', '-']
    with open(osp.join(work_dir, 'comparison.csv')) as f:
        per_run = f.read()
    assert [r['method'] for r in csv.DictReader(io.StringIO(per_run))] == [
        'student', 'MNF + CSC', 'MNF + CSC (scrambled teacher)']
    assert csv_out.read_text() == per_run
    assert '--scrambled-control' in (tmp_path / 'results' / 'grid.cmd'
                                     ).read_text()
    summary = list(csv.DictReader(open(tmp_path / 'results' /
                                       'grid.summary.csv')))
    assert [r['distils'] for r in summary] == ['', '', '']


def test_compare_methods_missing_config(tmp_path):
    work_dir = str(tmp_path / 'grid')
    proc = run_tool([
        sys.executable, TOOL, STUDENT_CFG, 'configs/no_such_config.py',
        '--work-dir', work_dir
    ], check=False, timeout=60)
    assert proc.returncode != 0
    assert 'config file not found: configs/no_such_config.py' in proc.stderr
    assert not osp.exists(work_dir)


def test_compare_methods_checks_cfg_options_for(tmp_path):
    work_dir = str(tmp_path / 'grid')
    proc = run_tool([
        sys.executable, TOOL, STUDENT_CFG, DISTILL_CFG, '--names', 'student',
        'ours', '--work-dir', work_dir, '--cfg-options-for', 'theirs', 'a=1'
    ], check=False, timeout=60)
    assert proc.returncode != 0
    assert ('--cfg-options-for theirs: no such method (one of student, ours)'
            in proc.stderr)
    proc = run_tool([
        sys.executable, TOOL, STUDENT_CFG, '--work-dir', work_dir,
        '--cfg-options-for', osp.basename(STUDENT_CFG)[:-3],
        'randomness.seed=1'
    ], check=False, timeout=60)
    assert proc.returncode != 0
    assert 'randomness.seed is set by --seeds, not --cfg-options-for' \
        in proc.stderr
    assert not osp.exists(work_dir)


def test_compare_methods_reports_a_failed_run_and_writes_the_table(
        tmp_path):
    config = tmp_path / 'broken.py'
    config.write_text("_base_ = ['no_such_base.py']\n")
    work_dir = tmp_path / 'grid'
    proc = run_tool([
        sys.executable, TOOL, str(config), '--work-dir', str(work_dir)
    ], check=False, timeout=300)
    assert proc.returncode == 1
    # the config is built (for the run's inputs) before anything runs
    failure = (f'config {config} cannot be built: FileNotFoundError: ')
    assert re.search(r'^\[1/1\] broken seed 3: FAILED after \d+ s: ' +
                     re.escape(failure) + r'.*no_such_base\.py', proc.stdout,
                     re.M)
    assert f'{work_dir}/broken/seed3/run.log ends with:' in proc.stdout
    assert '1 of 1 runs failed:\n  broken seed 3: ' + failure in proc.stdout
    assert 'plot: none (no run finished)' in proc.stdout
    table = (work_dir / 'comparison.md').read_text()
    assert '| broken | - | - | - | - | - | 0 |' in table
    assert (work_dir / 'comparison.csv').read_text() == \
        'method,config,seed,checkpoint\n'


def test_compare_methods_checks_the_baseline(tmp_path):
    work_dir = str(tmp_path / 'grid')
    proc = run_tool([
        sys.executable, TOOL, STUDENT_CFG, DISTILL_CFG, '--names', 'student',
        'ours', '--work-dir', work_dir, '--baseline', 'theirs'
    ], check=False, timeout=60)
    assert proc.returncode != 0
    assert '--baseline theirs: no such method (one of student, ours)' \
        in proc.stderr
    proc = run_tool([
        sys.executable, TOOL, DISTILL_CFG, '--work-dir', work_dir,
        '--scrambled-control'
    ], check=False, timeout=120)
    assert proc.returncode != 0
    assert ('--scrambled-control needs --baseline NAME unless exactly one '
            'method has no teacher (methods without a teacher: none)'
            ) in proc.stderr
    assert not osp.exists(work_dir)
