# Copyright (c) mmxkd contributors. All rights reserved.
"""Summaries of finished runs as markdown tables and CSV (mean +- std over
the seeds, std with ddof=0)."""
import csv
import io
from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np

from .gains import (DISTILS_RULE, Gains, Results, distils_cell, gain_cell,
                    gain_head, method_gains)
from .records import RunRecord

# Test metric key -> table column; the table, CSV and plot follow this order.
COLUMNS = {
    'acc/top1': 'top-1',
    'acc/top5': 'top-5',
    'retrieval/mAP': 'retrieval mAP',
    'retrieval/R@1': 'R@1',
    'retrieval/R@5': 'R@5',
}
# Shown only when some run reports them (e.g. the audio tagging of the
# reverse direction, the trust AUC of a head that weighs clips).
OPTIONAL_COLUMNS = {
    'tagging/mAP': 'tagging mAP',
    'tagging/micro_mAP': 'tagging micro-mAP',
    'trust/auc': 'trust AUC (train, last epoch)',
}


def mean_std(values: Sequence[float]) -> str:
    """A table cell: a metric over seeds.

    Args:
        values: The metric of each seed.

    Returns:
        ``mean +- std`` (ddof=0) with 4 decimals, the value alone for one
        seed, ``-`` for none.
    """
    if not values:
        return '-'
    if len(values) == 1:
        return f'{values[0]:.4f}'
    return f'{np.mean(values):.4f} +- {np.std(values):.4f}'


def markdown_table(head: Sequence[str],
                   rows: Sequence[Sequence[str]]) -> List[str]:
    """The lines of a markdown table.

    Args:
        head: The column names.
        rows: The cells of each row.

    Returns:
        The header line, the separator line and one line per row.
    """
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    return lines + ['| ' + ' | '.join(row) + ' |' for row in rows]


def metric_values(records: Sequence[RunRecord], key: str) -> List[float]:
    """A metric over the runs that have it.

    Args:
        records: The runs.
        key: The metric, e.g. ``acc/top1``.

    Returns:
        Its value in each run that reports it.
    """
    return [record.metrics[key] for record in records
            if key in record.metrics]


def table_columns(results: Results) -> Dict[str, str]:
    """Metric key -> column name of the comparison table.

    Args:
        results: The runs of each method.

    Returns:
        :data:`COLUMNS`, then the :data:`OPTIONAL_COLUMNS` that some run
        has.
    """
    found = {key for records in results.values() for record in records
             for key in record.metrics}
    return dict(COLUMNS, **{key: name for key, name in
                            OPTIONAL_COLUMNS.items() if key in found})


def gains_note(gains: Gains, column: str) -> str:
    """The paragraph of the table's header that defines the gain columns.

    Args:
        gains: What is compared.
        column: The table name of the gain metric.

    Returns:
        One line of markdown.
    """
    note = (f'Gains: per seed, a method\'s {column} minus that of '
            f'{gains.baseline} (the student alone)')
    if gains.controls:
        note += (' and minus that of the same method with a scrambled '
                 'teacher (`<method> (scrambled teacher)`: every training '
                 'clip\'s sound and teacher feature from a clip of another '
                 'class, `train_dataloader.dataset.swap_sound_ratio=1.0`)')
    note += '; mean +- std (ddof=0) over the seeds both runs finished.'
    if gains.controls:
        note += f' {DISTILS_RULE}.'
    return note


def format_comparison_table(results: Results,
                            title: str,
                            command: str,
                            checkpoint: str,
                            seeds: Sequence[int],
                            gains: Optional[Gains] = None) -> str:
    """The markdown comparison of methods (``comparison.md``).

    Args:
        results: The runs of each method, one row each.
        title: The heading.
        command: The command line that made the comparison.
        checkpoint: Which checkpoint of each run was tested.
        seeds: The seeds asked for.
        gains: With it, the gain columns of :func:`gain_head` (see
            :func:`method_gains`) before ``seeds``, and their definition in
            the header.

    Returns:
        The heading, the command, a note on the statistics and the table
        (one column per :func:`table_columns`, the gain columns, then the
        number of runs).
    """
    columns = table_columns(results)
    head = ['method'] + list(columns.values())
    if gains is not None:
        head += gain_head(gains, COLUMNS.get(gains.key, gains.key))
    rows = []
    for name, records in results.items():
        row = [name] + [mean_std(metric_values(records, key))
                        for key in columns]
        if gains is not None:
            found = method_gains(results, gains, name)
            row.append(gain_cell(found.over_baseline))
            if gains.controls:
                row += [gain_cell(found.over_scrambled),
                        distils_cell(found.distils)]
        rows.append(row + [str(len(records))])
    lines = [
        f'# {title}', '', '```', command, '```', '',
        f'Test metrics of the {checkpoint} checkpoints: mean +- std over '
        f'seeds {" ".join(map(str, seeds))} (std with ddof=0; one seed: the '
        'value).', ''
    ]
    if gains is not None:
        lines += [gains_note(gains, COLUMNS.get(gains.key, gains.key)), '']
    lines += markdown_table(head + ['seeds'], rows)
    return '\n'.join(lines) + '\n'


def format_comparison_csv(results: Results) -> str:
    """Every metric of every run (``comparison.csv``).

    Args:
        results: The runs of each method.

    Returns:
        CSV with the columns ``method, config, seed, checkpoint``, then the
        :data:`COLUMNS` that some run has, then the other metrics sorted;
        one row per run, empty where a run lacks a metric.
    """
    rows = [(name, record) for name, records in results.items()
            for record in records]
    found = {key for _, record in rows for key in record.metrics}
    keys = [key for key in COLUMNS if key in found]
    keys += sorted(found - set(keys))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(['method', 'config', 'seed', 'checkpoint'] + keys)
    for name, record in rows:
        writer.writerow(
            [name, record.config, record.seed, record.checkpoint] +
            [record.metrics.get(key, '') for key in keys])
    return out.getvalue()


def format_summary_csv(results: Results, gains: Gains) -> str:
    """The comparison table as CSV, one row per method
    (``comparison_summary.csv``).

    Args:
        results: The runs of each method.
        gains: What is compared.

    Returns:
        CSV with the columns ``method, seeds``, ``<metric> mean`` and
        ``<metric> std`` (ddof=0) of each :func:`table_columns` metric, then
        ``gain vs baseline mean|std`` and, with controls, ``gain vs
        scrambled mean|std`` and ``distils`` (``yes``/``no``); empty where
        there is no value.
    """
    def stats(values: Optional[Sequence[float]]) -> List[object]:
        if not values:
            return ['', '']
        return [float(np.mean(values)), float(np.std(values))]

    keys = list(table_columns(results))
    head = ['method', 'seeds']
    for key in keys:
        head += [f'{key} mean', f'{key} std']
    head += ['gain vs baseline mean', 'gain vs baseline std']
    if gains.controls:
        head += ['gain vs scrambled mean', 'gain vs scrambled std', 'distils']
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(head)
    for name, records in results.items():
        row = [name, len(records)]
        for key in keys:
            row += stats(metric_values(records, key))
        found = method_gains(results, gains, name)
        row += stats(found.over_baseline)
        if gains.controls:
            row += stats(found.over_scrambled)
            row.append({None: '', True: 'yes', False: 'no'}[found.distils])
        writer.writerow(row)
    return out.getvalue()


def format_accuracy_table(results: Mapping[str, Sequence[dict]],
                          classes: Sequence[str],
                          seeds: Sequence[int]) -> str:
    """The markdown accuracy table of models (``results.md`` of the main
    job).

    Args:
        results: Model name -> the
            :func:`~.predictions.prediction_scores` of each seed.
        classes: The class names.
        seeds: The seeds.

    Returns:
        A ``seeds: ...`` line and the table: top-1 and top-5 as mean +- std,
        the accuracy of each class as the mean over seeds (2 decimals).
    """
    head = ['model', 'top-1', 'top-5'] + [f'acc {c}' for c in classes]
    rows = [[
        name,
        mean_std([r['top1'] for r in runs]),
        mean_std([r['top5'] for r in runs])
    ] + [
        f'{np.nanmean([r["per_class"][c] for r in runs]):.2f}'
        for c in range(len(classes))
    ] for name, runs in results.items()]
    lines = [f'seeds: {" ".join(map(str, seeds))}', '']
    return '\n'.join(lines + markdown_table(head, rows))
