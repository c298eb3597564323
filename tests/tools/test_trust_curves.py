# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/analysis/trust_curves.py: per-epoch trust AUC beside validation
top-1, from run directories as TrustScoreHook and MMEngine leave them."""
import csv
import json
import sys

import pytest

from ..conftest import run_tool

pytestmark = pytest.mark.integration


def make_run(root, aucs, accs):
    root.mkdir(parents=True)
    (root / 'trust.json').write_text(json.dumps(
        [{'epoch': e + 1, 'trust/auc': a} for e, a in enumerate(aucs)]))
    vis = root / '20261203_000000' / 'vis_data'
    vis.mkdir(parents=True)
    (vis / 'scalars.json').write_text(''.join(
        json.dumps({'acc/top1': a, 'step': e + 1}) + '\n'
        for e, a in enumerate(accs)))
    return str(root)


def test_curves_csv_and_png(tmp_path):
    first = make_run(tmp_path / 'a', [0.6, 0.8], [0.1, 0.3])
    second = make_run(tmp_path / 'b', [0.5], [0.05, 0.06])
    out = str(tmp_path / 'curves')
    run_tool([sys.executable, 'tools/analysis/trust_curves.py',
              f'ours={first}', f'other={second}', '--out', out])
    with open(out + '.csv') as f:
        rows = list(csv.DictReader(f))
    assert [(r['run'], r['epoch'], r['trust/auc'], r['val_top1'])
            for r in rows] == [('ours', '1', '0.6', '0.1'),
                               ('ours', '2', '0.8', '0.3'),
                               ('other', '1', '0.5', '0.05')]
    assert (tmp_path / 'curves.png').stat().st_size > 0


def test_a_run_that_is_not_a_directory_is_named(tmp_path):
    proc = run_tool([sys.executable, 'tools/analysis/trust_curves.py',
                     f'x={tmp_path}/missing', '--out', str(tmp_path / 'o')],
                    check=False)
    assert proc.returncode == 2 and 'NAME=RUN_DIR' in proc.stderr
