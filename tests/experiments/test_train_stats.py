# Copyright (c) mmxkd contributors. All rights reserved.
import json
import os
import os.path as osp
import subprocess
import sys

import pytest

from mmxkd.experiments.records import read_train_curve
from mmxkd.experiments.train_stats import (collect_curves, find_runs,
                                           format_stats_csv,
                                           format_stats_table, plot_stats)
from ..conftest import ROOT


def write_scalars(run_dir: str, part: str, entries: list) -> None:
    """One (resumed) training's MMEngine scalars.json in ``run_dir``."""
    folder = osp.join(run_dir, part, 'vis_data')
    os.makedirs(folder, exist_ok=True)
    with open(osp.join(folder, 'scalars.json'), 'w') as f:
        for entry in entries:
            f.write(json.dumps(entry) + '\n')


def train(epoch: int, it: int, **stats) -> dict:
    return dict(epoch=epoch, iter=it, step=it, **stats)


@pytest.fixture
def work_dir(tmp_path) -> str:
    """A comparison work dir: a student (2 seeds), MNF + CSC (2 seeds, one
    resumed) and its scrambled control (1 seed)."""
    root = str(tmp_path)
    for seed, loss in ((3, 2.0), (5, 3.0)):
        write_scalars(f'{root}/student/seed{seed}', '20260101_000000', [
            train(1, 1, loss_cls_v=loss + 1),
            train(2, 2, loss_cls_v=loss),
            dict(step=2, **{'acc/top1': 0.5}),  # validation: not a train entry
        ])
    write_scalars(f'{root}/mnf/seed3', '20260101_000000', [
        train(1, 1, mnf_gate_std=0.1),
        train(1, 2, mnf_gate_std=0.3),
        train(2, 3, mnf_gate_std=9.0),  # interrupted epoch, trained again
    ])
    write_scalars(f'{root}/mnf/seed3', '20260101_010000', [
        train(2, 3, mnf_gate_std=0.4),
        train(2, 4, mnf_gate_std=0.6),
    ])
    write_scalars(f'{root}/mnf/seed5', '20260101_000000',
                  [train(1, 1, mnf_gate_std=0.2),
                   train(2, 2, mnf_gate_std=0.3)])
    write_scalars(f'{root}/mnf/scrambled-teacher/seed3', '20260101_000000',
                  [train(1, 1, mnf_gate_std=0.05),
                   train(2, 2, mnf_gate_std=0.07)])
    return root


def test_train_curve_is_the_epoch_mean_and_the_newer_training_wins(work_dir):
    assert read_train_curve(f'{work_dir}/mnf/seed3', 'mnf_gate_std') == [
        (1, pytest.approx(0.2)), (2, pytest.approx(0.5))
    ]
    assert read_train_curve(f'{work_dir}/mnf/seed3', 'loss_cls_v') == []


def test_runs_by_method_with_the_scrambled_control(work_dir):
    runs = find_runs(work_dir)
    assert list(runs) == ['mnf', 'mnf (scrambled teacher)', 'student']
    assert [osp.basename(d) for d in runs['mnf']] == ['seed3', 'seed5']
    with pytest.raises(FileNotFoundError, match='holds no run'):
        find_runs(osp.join(work_dir, 'nothing'))


def test_table_is_the_last_epoch_over_seeds(work_dir):
    runs = find_runs(work_dir)
    keys = ['mnf_gate_std', 'loss_cls_v', 'never_logged']
    curves = collect_curves(runs, keys)
    table = format_stats_table(curves, list(runs), keys).splitlines()
    assert table[0] == '| method | mnf_gate_std | loss_cls_v | seeds |'
    # seed 3 ends at 0.5, seed 5 at 0.3: mean 0.4, std 0.1
    assert table[2] == '| mnf | 0.4000 +- 0.1000 | - | 2 |'
    assert table[3] == '| mnf (scrambled teacher) | 0.0700 | - | 1 |'
    assert table[4] == '| student | - | 2.5000 +- 0.5000 | 2 |'
    csv_lines = format_stats_csv(curves).splitlines()
    assert csv_lines[0] == 'method,statistic,run,epoch,value'
    assert 'mnf,mnf_gate_std,0,2,0.5' in csv_lines


def test_plot_writes_a_png_or_nothing(work_dir, tmp_path):
    runs = find_runs(work_dir)
    curves = collect_curves(runs, ['mnf_gate_std', 'loss_cls_v'])
    png = str(tmp_path / 'stats.png')
    assert plot_stats(curves, list(runs), ['mnf_gate_std', 'loss_cls_v'],
                      'test', png)
    with open(png, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    assert not plot_stats(curves, list(runs), ['never_logged'], 'test',
                          str(tmp_path / 'none.png'))
    assert not osp.exists(tmp_path / 'none.png')


@pytest.mark.integration
def test_the_tool_prints_and_writes_the_table(work_dir, tmp_path):
    out = str(tmp_path / 'out')
    proc = subprocess.run([
        sys.executable, 'tools/analysis/train_stats.py', work_dir, '--keys',
        'mnf_gate_std', '--out-dir', out
    ], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert '| mnf | 0.4000 +- 0.1000 | 2 |' in proc.stdout
    for name in ('train_stats.md', 'train_stats.csv', 'train_stats.png'):
        assert osp.isfile(osp.join(out, name)), name
    bad = subprocess.run([
        sys.executable, 'tools/analysis/train_stats.py', work_dir, '--keys',
        'never_logged'
    ], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and 'logged any of never_logged' in bad.stderr
