# Copyright (c) mmxkd contributors. All rights reserved.
"""Summaries of finished runs: markdown tables and CSV (mean +- std over the
seeds, std with ddof=0) and PNG plots (matplotlib's Agg backend)."""
import csv
import io
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from mmxkd.fileio import AtomicFile
from .experiment import RunRecord

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
# Method name -> the records of its runs (one per seed).
Results = Mapping[str, Sequence[RunRecord]]
# The fewest seeds, paired in both comparisons, that can show distillation.
MIN_PAIRED_SEEDS = 2
DISTILS_RULE = (
    'distils = yes when both mean gains exceed the std of their paired '
    'differences (and so are > 0), no otherwise; a verdict needs at least '
    f'{MIN_PAIRED_SEEDS} seeds paired in each comparison (with fewer: -)')


def scrambled_name(method: str) -> str:
    """The row name of a method's scrambled-teacher control.

    Args:
        method: The method's name.

    Returns:
        ``<method> (scrambled teacher)``.
    """
    return f'{method} (scrambled teacher)'


@dataclass(frozen=True)
class Gains:
    """Which gain columns a comparison has.

    Args:
        baseline: The method every other one is compared with (the student
            alone).
        key: The metric of the gains, e.g. ``acc/top1``.
        controls: Method -> the name of its scrambled-teacher control, for
            the ``gain vs scrambled`` and ``distils`` columns (empty: no such
            columns).
    """
    baseline: str
    key: str = 'acc/top1'
    controls: Mapping[str, str] = field(default_factory=dict)


def paired_differences(records: Sequence[RunRecord],
                       reference: Sequence[RunRecord],
                       key: str) -> List[float]:
    """A metric's gain over a reference, seed by seed.

    Args:
        records: The runs of a method.
        reference: The runs it is compared with.
        key: The metric.

    Returns:
        ``record - reference`` of every seed that both have a run of with
        the metric, in the order of ``records``.
    """
    ref = {r.seed: r.metrics[key] for r in reference if key in r.metrics}
    return [r.metrics[key] - ref[r.seed] for r in records
            if key in r.metrics and r.seed in ref]


def exceeds_std(differences: Sequence[float]) -> bool:
    """The rule of a gain that counts: over at least
    :data:`MIN_PAIRED_SEEDS` seeds, the mean paired difference exceeds
    their std (ddof=0), and so is > 0.

    Args:
        differences: The paired differences (see
            :func:`paired_differences`).

    Returns:
        Whether the gain counts.
    """
    return (len(differences) >= MIN_PAIRED_SEEDS
            and float(np.mean(differences)) > float(np.std(differences)))


@dataclass(frozen=True)
class MethodGains:
    """The gains of one method (see :func:`method_gains`).

    Args:
        over_baseline: Paired differences with the baseline, or None for
            the baseline itself.
        over_scrambled: Paired differences with the method's
            scrambled-teacher control, or None if it has none.
    """
    over_baseline: Optional[List[float]]
    over_scrambled: Optional[List[float]]

    @property
    def distils(self) -> Optional[bool]:
        """Whether the method distils: both gains :func:`exceeds_std`; None
        (no verdict) if it has no control or fewer than
        :data:`MIN_PAIRED_SEEDS` seeds paired in either comparison."""
        if self.over_baseline is None or self.over_scrambled is None:
            return None
        if min(len(self.over_baseline),
               len(self.over_scrambled)) < MIN_PAIRED_SEEDS:
            return None
        return (exceeds_std(self.over_baseline)
                and exceeds_std(self.over_scrambled))


def method_gains(results: Results, gains: Gains, name: str) -> MethodGains:
    """A method's gains over the baseline and over its scrambled control.

    Args:
        results: The runs of each method.
        gains: What to compare.
        name: The method.

    Returns:
        Its paired differences (none where a method or control has no
        runs).
    """
    def over(reference: str) -> List[float]:
        return paired_differences(results[name], results.get(reference, ()),
                                  gains.key)

    control = gains.controls.get(name)
    return MethodGains(
        over_baseline=None if name == gains.baseline else over(
            gains.baseline),
        over_scrambled=None if control is None else over(control))


def gain_cell(differences: Optional[Sequence[float]]) -> str:
    """A table cell: a gain over seeds.

    Args:
        differences: The paired differences, or None where there is no
            comparison.

    Returns:
        Signed ``mean +- std`` (ddof=0) with 4 decimals, the value alone for
        one seed, ``-`` for none.
    """
    if not differences:
        return '-'
    if len(differences) == 1:
        return f'{differences[0]:+.4f}'
    return f'{np.mean(differences):+.4f} +- {np.std(differences):.4f}'


def distils_cell(distils: Optional[bool]) -> str:
    """``yes``, ``no`` or ``-`` (no control, or too few seeds for a
    verdict) for :attr:`MethodGains.distils`.
    """
    return '-' if distils is None else ('yes' if distils else 'no')


def gain_head(gains: Gains, column: str) -> List[str]:
    """The names of the gain columns of the table.

    Args:
        gains: What is compared.
        column: The table name of the gain metric.

    Returns:
        ``<column> gain vs <baseline>``, then with controls
        ``<column> gain vs scrambled`` and ``distils``.
    """
    head = [f'{column} gain vs {gains.baseline}']
    if gains.controls:
        head += [f'{column} gain vs scrambled', 'distils']
    return head


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


def prediction_scores(dump_file: str, num_classes: int) -> Dict[str, object]:
    """Accuracies from the predictions that ``tools/test.py --dump
    <file>.npz`` wrote.

    Args:
        dump_file: The ``.npz`` file (``pred_score`` (N, C), ``gt_label``
            (N, L)); read without unpickling anything.
        num_classes: The number of classes.

    Returns:
        ``top1`` and ``top5`` accuracy, and ``per_class``: the top-1
        accuracy of each class (NaN for a class without samples).

    Raises:
        ValueError: ``dump_file`` is not an ``.npz`` file (a pickle is
            refused unread: loading one can run code), or lacks the arrays.
    """
    if not dump_file.endswith('.npz'):
        raise ValueError(
            f'{dump_file}: predictions are read only from .npz files; a '
            'pickle (.pkl) is never loaded, since loading one can run code. '
            'Write them again with tools/test.py CONFIG CHECKPOINT --dump '
            'predictions.npz')
    try:
        with np.load(dump_file, allow_pickle=False) as data:
            pred = np.asarray(data['pred_score'], dtype=np.float64)
            gt = np.asarray(data['gt_label']).reshape(len(pred), -1)[:, 0]
    except (KeyError, ValueError, OSError) as err:
        raise ValueError(
            f'{dump_file}: not a predictions file of tools/test.py --dump '
            f'(pred_score, gt_label without pickled objects): {err}') from err
    top5 = np.argsort(-pred, axis=1)[:, :5]
    per_class = [
        float((pred[gt == c].argmax(1) == c).mean()) if (gt == c).any() else
        float('nan') for c in range(num_classes)
    ]
    return dict(
        top1=float((pred.argmax(1) == gt).mean()),
        top5=float((top5 == gt[:, None]).any(1).mean()),
        per_class=per_class)


def format_accuracy_table(results: Mapping[str, Sequence[dict]],
                          classes: Sequence[str],
                          seeds: Sequence[int]) -> str:
    """The markdown accuracy table of models (``results.md`` of the main
    job).

    Args:
        results: Model name -> the :func:`prediction_scores` of each seed.
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


def _pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def _save_png(fig, out_file: str) -> None:
    """Save and close a figure; ``out_file`` is replaced whole or not at
    all."""
    with AtomicFile(out_file) as tmp:
        fig.savefig(tmp, dpi=120, format='png', bbox_inches='tight')
    _pyplot().close(fig)


def plot_metric_bars(results: Results, title: str, out_file: str) -> bool:
    """Grouped bars of the comparison (``comparison.png``).

    Args:
        results: The runs of each method, one bar colour each.
        title: The plot's title.
        out_file: The PNG to write.

    Returns:
        False (and nothing written) if no run has any table metric; True
        otherwise: one group per table metric that some run has, the bar
        the mean over seeds, the error bar the std.
    """
    columns = table_columns(results)
    keys = [key for key in columns
            if any(metric_values(records, key) for records in
                   results.values())]
    if not keys:
        return False
    plt = _pyplot()
    width = 0.8 / len(results)
    fig, ax = plt.subplots(
        figsize=(max(6, 1 + len(keys) * (0.5 + 0.3 * len(results))), 4))
    for i, (name, records) in enumerate(results.items()):
        groups, means, stds = [], [], []
        for group, key in enumerate(keys):
            values = metric_values(records, key)
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
    _save_png(fig, out_file)
    return True


def plot_val_curves(curves: Mapping[str, Sequence[Sequence[Tuple[int,
                                                                  float]]]],
                    title: str, out_file: str) -> None:
    """Validation top-1 accuracy over epochs (``val_curves.png``).

    Args:
        curves: Model name -> the :func:`~.experiment.read_val_curve` of
            each seed; a line per model, the mean over seeds (up to the
            shortest curve) with the std as a band. A model without
            validations is left out.
        title: The plot's title.
        out_file: The PNG to write.
    """
    from matplotlib.ticker import MaxNLocator
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, runs in curves.items():
        length = min((len(curve) for curve in runs), default=0)
        if not length:
            continue
        epochs = [epoch for epoch, _ in runs[0][:length]]
        accs = np.array([[acc for _, acc in curve[:length]]
                         for curve in runs])
        mean, std = accs.mean(0), accs.std(0)
        ax.plot(epochs, mean, marker='o', markersize=3, label=name)
        ax.fill_between(epochs, mean - std, mean + std, alpha=0.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel('epoch')
    ax.set_ylabel('validation top-1 accuracy')
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    _save_png(fig, out_file)
