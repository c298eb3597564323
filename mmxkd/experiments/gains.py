# Copyright (c) mmxkd contributors. All rights reserved.
"""Whether a method distils: its gains over the student alone and over its
scrambled-teacher control, seed by seed (std with ddof=0)."""
from dataclasses import dataclass, field
from typing import List, Mapping, Optional, Sequence

import numpy as np

from .records import RunRecord

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
