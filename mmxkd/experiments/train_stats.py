# Copyright (c) mmxkd contributors. All rights reserved.
"""What a model part did during training, per method: the statistics the
heads log (gate spread, attention entropy, temperature range, loss terms)
read back from the runs of a ``compare_methods.py`` work dir, as a table
(each statistic's mean over the last epoch, mean +- std over the seeds), a
CSV and a PNG of their curves over the epochs."""
import csv
import io
import os.path as osp
from glob import glob
from typing import Dict, List, Mapping, Sequence, Tuple

import numpy as np

from .plots import _pyplot, _save_png
from .records import read_train_curve
from .tables import markdown_table, mean_std

# The statistics MNFCSCHead logs, in the order a reader wants them.
MNF_KEYS = ('mnf_gate_std', 'mnf_gate_min', 'mnf_gate_max',
            'mnf_attn_entropy', 'csc_tau_mean', 'csc_tau_min', 'csc_tau_max',
            'loss_csc', 'loss_tri', 'loss_cls_n', 'loss_cls_v')
SCRAMBLED_DIR = 'scrambled-teacher'
# (method, key) -> one curve [(epoch, value)] per seed
Curves = Dict[Tuple[str, str], List[List[Tuple[int, float]]]]


def find_runs(work_dir: str) -> Dict[str, List[str]]:
    """The run dirs of a comparison work dir, by method.

    Args:
        work_dir: ``compare_methods.py``'s ``--work-dir``:
            ``<config stem>/seed<S>`` and
            ``<config stem>/scrambled-teacher/seed<S>``.

    Returns:
        ``{config stem: [run dirs]}`` and ``{'<stem> (scrambled teacher)':
        [...]}``, sorted, for every method with a run.

    Raises:
        FileNotFoundError: ``work_dir`` holds no run.
    """
    runs: Dict[str, List[str]] = {}
    for method_dir in sorted(glob(osp.join(work_dir, '*', ''))):
        stem = osp.basename(osp.dirname(method_dir))
        for name, pattern in ((stem, 'seed*'), (
                f'{stem} (scrambled teacher)', osp.join(SCRAMBLED_DIR,
                                                        'seed*'))):
            found = sorted(
                d for d in glob(osp.join(method_dir, pattern))
                if osp.isdir(d))
            if found:
                runs[name] = found
    if not runs:
        raise FileNotFoundError(
            f'{work_dir} holds no run (<config stem>/seed<S> or '
            f'<config stem>/{SCRAMBLED_DIR}/seed<S>)')
    return runs


def collect_curves(runs: Mapping[str, Sequence[str]],
                   keys: Sequence[str]) -> Curves:
    """Each statistic's per-epoch curve of every run that logged it.

    Args:
        runs: Run dirs by method (:func:`find_runs`).
        keys: The logged statistics.

    Returns:
        ``{(method, key): [curve of each seed that logged it]}``.
    """
    curves: Curves = {}
    for method, run_dirs in runs.items():
        for key in keys:
            found = [read_train_curve(d, key) for d in run_dirs]
            found = [c for c in found if c]
            if found:
                curves[(method, key)] = found
    return curves


def last_epoch_values(curves: Curves, method: str, key: str) -> List[float]:
    """The statistic's mean over each seed's last logged epoch."""
    return [curve[-1][1] for curve in curves.get((method, key), [])]


def format_stats_table(curves: Curves, methods: Sequence[str],
                       keys: Sequence[str]) -> str:
    """Markdown: one row per method, one column per statistic (its mean
    over the last epoch, mean +- std over the seeds), and the seeds."""
    keys = [k for k in keys if any((m, k) in curves for m in methods)]
    rows = []
    for method in methods:
        seeds = max((len(curves.get((method, k), [])) for k in keys),
                    default=0)
        rows.append([method] + [
            mean_std(last_epoch_values(curves, method, k)) for k in keys
        ] + [str(seeds)])
    return '\n'.join(markdown_table(['method'] + keys + ['seeds'], rows))


def format_stats_csv(curves: Curves) -> str:
    """CSV: method, statistic, seed index, epoch, value (every point)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(['method', 'statistic', 'run', 'epoch', 'value'])
    for (method, key), per_seed in curves.items():
        for run, curve in enumerate(per_seed):
            for epoch, value in curve:
                writer.writerow([method, key, run, epoch, f'{value:.6g}'])
    return out.getvalue()


def plot_stats(curves: Curves, methods: Sequence[str], keys: Sequence[str],
               title: str, out_file: str) -> bool:
    """One panel per statistic: its per-epoch mean over the seeds, one line
    per method, the seeds' range shaded. Returns False (and writes nothing)
    when no run logged any of ``keys``."""
    keys = [k for k in keys if any((m, k) in curves for m in methods)]
    if not keys:
        return False
    plt = _pyplot()
    cols = min(3, len(keys))
    rows = -(-len(keys) // cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    for ax, key in zip(axes.flat, keys):
        for method in methods:
            per_seed = curves.get((method, key))
            if not per_seed:
                continue
            length = min(len(c) for c in per_seed)
            epochs = [e for e, _ in per_seed[0][:length]]
            values = np.array([[v for _, v in c[:length]] for c in per_seed])
            colour = f'C{list(methods).index(method) % 10}'
            ax.plot(epochs, values.mean(0), color=colour, label=method)
            ax.fill_between(epochs, values.min(0), values.max(0),
                            color=colour, alpha=0.2)
        ax.set_title(key, fontsize=9)
        ax.set_xlabel('epoch', fontsize=8)
    for ax in list(axes.flat)[len(keys):]:
        ax.axis('off')
    legend = {}
    for ax in axes.flat:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            legend.setdefault(label, handle)
    fig.legend(list(legend.values()), list(legend), loc='lower center',
               fontsize=7, bbox_to_anchor=(0.5, 0.0))
    fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0.03 + 0.025 * len(methods), 1, 0.97))
    _save_png(fig, out_file)
    return True
