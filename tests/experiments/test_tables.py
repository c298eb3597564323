# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.experiments.tables, .plots and .predictions: tables (mean +- std
over seeds), CSV, scores from dumped predictions, PNG plots."""
import csv
import io
import math
import os
import pickle

import numpy as np
import pytest
import torch

from mmxkd.experiments.plots import plot_metric_bars, plot_val_curves
from mmxkd.experiments.predictions import prediction_scores
from mmxkd.experiments.records import RunRecord
from mmxkd.experiments.tables import (format_accuracy_table,
                                      format_comparison_csv,
                                      format_comparison_table, markdown_table,
                                      mean_std, table_columns)
from mmxkd.evaluation import DumpPredictions

PNG_MAGIC = b'\x89PNG\r\n\x1a\n'


def record(seed: int, **metrics: float) -> RunRecord:
    """A run of ``cfg.py`` with the given metrics (``acc_top1`` for
    ``acc/top1``)."""
    return RunRecord(
        config='cfg.py', seed=seed, checkpoint='epoch_1.pth',
        metrics={key.replace('_', '/', 1): value
                 for key, value in metrics.items()})


def comparison() -> dict:
    """Two methods: two seeds without tagging, one seed with."""
    return {
        'student': [record(3, acc_top1=0.5, acc_top5=0.9),
                    record(5, acc_top1=0.7, acc_top5=1.0)],
        'ours': [record(3, acc_top1=0.8, tagging_mAP=0.25)],
    }


def test_mean_std_cells():
    assert mean_std([]) == '-'
    assert mean_std([0.123456]) == '0.1235'
    assert mean_std([0.5, 0.7]) == '0.6000 +- 0.1000'  # ddof=0


def test_markdown_table():
    assert markdown_table(['a', 'b'], [['1', '2']]) == [
        '| a | b |', '|---|---|', '| 1 | 2 |']


def test_comparison_table_rows_and_optional_columns():
    results = comparison()
    table = format_comparison_table(results, 'The title', 'python x.py',
                                    'last', [3, 5])
    lines = table.splitlines()
    assert lines[:5] == ['# The title', '', '```', 'python x.py', '```']
    assert 'mean +- std over seeds 3 5' in table
    assert lines[-4] == ('| method | top-1 | top-5 | retrieval mAP | R@1 | '
                         'R@5 | tagging mAP | seeds |')
    assert lines[-2] == ('| student | 0.6000 +- 0.1000 | 0.9500 +- 0.0500 '
                         '| - | - | - | - | 2 |')
    assert lines[-1] == '| ours | 0.8000 | - | - | - | - | 0.2500 | 1 |'
    assert table.endswith('\n')
    del results['ours']
    assert 'tagging' not in ''.join(table_columns(results).values())


def test_comparison_csv_columns():
    results = comparison()
    results['ours'][0].metrics['zeta/x'] = 1.0
    rows = list(csv.reader(io.StringIO(format_comparison_csv(results))))
    assert rows[0] == ['method', 'config', 'seed', 'checkpoint', 'acc/top1',
                       'acc/top5', 'tagging/mAP', 'zeta/x']
    assert rows[1] == ['student', 'cfg.py', '3', 'epoch_1.pth', '0.5', '0.9',
                       '', '']
    assert rows[3] == ['ours', 'cfg.py', '3', 'epoch_1.pth', '0.8', '',
                       '0.25', '1.0']
    assert len(rows) == 4


def _dump(path: str, preds) -> None:
    """Write predictions as tools/test.py --dump does."""
    metric = DumpPredictions(path)
    metric.process(None, [dict(pred_score=torch.tensor(p),
                               gt_label=torch.tensor([g])) for p, g in preds])
    metric.compute_metrics(metric.results)


def test_prediction_scores(tmp_path):
    # classes 0, 1, 2 of 4; the sample of class 2 is wrong at top-1
    preds = [([0.7, 0.1, 0.1, 0.1], 0), ([0.1, 0.6, 0.2, 0.1], 1),
             ([0.1, 0.6, 0.3, 0.0], 2), ([0.6, 0.2, 0.1, 0.1], 0)]
    dump = str(tmp_path / 'preds.npz')
    _dump(dump, preds)
    assert os.listdir(tmp_path) == ['preds.npz']
    scores = prediction_scores(dump, 4)
    assert scores['top1'] == 0.75 and scores['top5'] == 1.0
    assert scores['per_class'][:3] == [1.0, 1.0, 0.0]
    assert math.isnan(scores['per_class'][3])


class _Payload:
    """Unpickling this creates the file ``MARK``."""
    MARK = ''

    def __reduce__(self):
        return (open, (self.MARK, 'w'))


@pytest.mark.parametrize('kind', ['pkl', 'npz-with-objects'])
def test_hostile_predictions_are_refused_unread(tmp_path, kind):
    _Payload.MARK = str(tmp_path / 'payload-ran')
    if kind == 'pkl':
        dump = str(tmp_path / 'preds.pkl')
        with open(dump, 'wb') as f:
            pickle.dump([dict(pred_score=_Payload(), gt_label=0)], f)
    else:
        dump = str(tmp_path / 'preds.npz')
        np.savez(dump, pred_score=np.array([_Payload()], dtype=object),
                 gt_label=np.zeros(1))
    with pytest.raises(ValueError, match='preds'):
        prediction_scores(dump, 4)
    assert not os.path.exists(_Payload.MARK)


def test_accuracy_table():
    results = {
        'teacher': [dict(top1=0.5, top5=1.0, per_class=[1.0, 0.0]),
                    dict(top1=0.7, top5=1.0, per_class=[0.5, float('nan')])],
    }
    table = format_accuracy_table(results, ['left', 'right'], [3, 5])
    assert table == '\n'.join([
        'seeds: 3 5', '',
        '| model | top-1 | top-5 | acc left | acc right |',
        '|---|---|---|---|---|',
        '| teacher | 0.6000 +- 0.1000 | 1.0000 +- 0.0000 | 0.75 | 0.00 |'])


def test_metric_bars_png(tmp_path):
    png = tmp_path / 'comparison.png'
    assert plot_metric_bars(comparison(), 'title', str(png))
    assert png.read_bytes().startswith(PNG_MAGIC)
    assert png.stat().st_size > 1000
    assert not list(tmp_path.glob('*.tmp*'))
    empty = tmp_path / 'empty.png'
    assert not plot_metric_bars({'a': [], 'b': []}, 'title', str(empty))
    assert not empty.exists()


def test_val_curves_png(tmp_path):
    png = tmp_path / 'val_curves.png'
    plot_val_curves(
        {'student': [[(1, 0.2), (2, 0.4)], [(1, 0.3), (2, 0.5), (3, 0.6)]],
         'no validation': [[]]}, 'title', str(png))
    assert png.read_bytes().startswith(PNG_MAGIC)
    assert png.stat().st_size > 1000
