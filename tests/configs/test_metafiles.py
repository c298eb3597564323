# Copyright (c) mmxkd contributors. All rights reserved.
"""The model zoo (configs/*/metafile.yml, model-index.yml) states only
figures that a committed CSV gives: each Results entry names its CSV and
the method column of its rows, and its metrics are the mean over those
rows (this config, that method) in percent, to 2 decimals."""
import csv
import glob
import os.path as osp
import statistics

import pytest
import yaml

from ..conftest import ROOT

METAFILES = sorted(glob.glob(osp.join(ROOT, 'configs', '*', 'metafile.yml')))
# metafile metric -> CSV column (a fraction)
COLUMNS = {'Top 1 Accuracy': 'acc/top1', 'Top 5 Accuracy': 'acc/top5'}


def load(path: str) -> dict:
    with open(path) as f:
        return yaml.safe_load(f)


def entries():
    for metafile in METAFILES:
        for model in load(metafile)['Models']:
            for i, result in enumerate(model.get('Results') or []):
                yield pytest.param(model, result,
                                   id=f"{model['Name']}-{i}")


def test_model_index_imports_every_metafile():
    index = load(osp.join(ROOT, 'model-index.yml'))
    assert sorted(osp.join(ROOT, p) for p in index['Import']) == METAFILES


@pytest.mark.parametrize('metafile', METAFILES, ids=osp.basename)
def test_metafile_entries_are_well_formed(metafile):
    data = load(metafile)
    collections = {c['Name'] for c in data['Collections']}
    names = [m['Name'] for m in data['Models']]
    assert len(names) == len(set(names))
    for model in data['Models']:
        assert model['In Collection'] in collections
        assert osp.isfile(osp.join(ROOT, model['Config'])), model['Config']
        assert osp.basename(model['Config']) == model['Name'] + '.py'


@pytest.mark.parametrize('model,result', list(entries()))
def test_metafile_figure_is_its_csv_rows_mean(model, result):
    keys = {'Dataset', 'Task', 'Metrics', 'CSV', 'Method', 'Seeds'}
    assert keys <= set(result), keys - set(result)
    path = osp.join(ROOT, result['CSV'])
    assert osp.isfile(path), result['CSV']
    with open(path) as f:
        rows = [
            r for r in csv.DictReader(f)
            if r['config'] == model['Config']
            and r['method'] == result['Method']
        ]
    assert rows, 'no CSV row for this config and method'
    assert sorted(int(r['seed']) for r in rows) == result['Seeds']
    assert result['Metrics'], 'a Results entry without a metric'
    for metric, value in result['Metrics'].items():
        assert metric in COLUMNS, f'{metric} has no CSV column'
        mean = statistics.mean(float(r[COLUMNS[metric]]) for r in rows)
        assert value == round(100 * mean, 2), metric


def test_every_csv_run_of_a_listed_config_is_in_the_zoo():
    """Each (CSV, config, method) of the committed comparison tables is a
    Results entry of that config (scrambled-teacher controls, run with
    options, are not the config itself)."""
    listed = {}
    for metafile in METAFILES:
        for model in load(metafile)['Models']:
            listed[model['Config']] = {(r['CSV'], r['Method'])
                                       for r in model.get('Results') or []}
    missing = []
    for path in sorted(glob.glob(osp.join(ROOT, 'configs/*/results/*.csv'))):
        with open(path) as f:
            rows = list(csv.DictReader(f))
        if not rows or not {'config', 'method', 'acc/top1'} <= set(rows[0]):
            continue
        for r in rows:
            if 'scrambled' in r['method']:
                continue
            key = (osp.relpath(path, ROOT), r['method'])
            if key not in listed.get(r['config'], set()):
                missing.append((r['config'], ) + key)
    assert not missing, sorted(set(missing))
