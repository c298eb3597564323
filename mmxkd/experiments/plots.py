# Copyright (c) mmxkd contributors. All rights reserved.
"""PNG plots of finished runs (matplotlib's Agg backend)."""
from typing import Mapping, Sequence, Tuple

import numpy as np

from mmxkd.fileio import AtomicFile
from .gains import Results
from .tables import metric_values, table_columns


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
        curves: Model name -> the :func:`~.records.read_val_curve` of
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
