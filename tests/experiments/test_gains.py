# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.experiments.gains (and the tables that show the gains) on fake run
records: the gains over the student alone
and over the scrambled-teacher control (paired by seed), the distils rule
and the table and summary CSV that show them."""
import csv
import io

import pytest

from mmxkd.experiments.gains import (DISTILS_RULE, Gains, MethodGains,
                                     distils_cell, exceeds_std, gain_cell,
                                     method_gains, paired_differences,
                                     scrambled_name)
from mmxkd.experiments.records import RunRecord
from mmxkd.experiments.tables import (format_comparison_table,
                                      format_summary_csv)


def runs(*top1: float, seeds=(3, 5, 7)) -> list:
    """One record per seed with these top-1 accuracies."""
    return [RunRecord(config='cfg.py', seed=seed, checkpoint='epoch_1.pth',
                      metrics={'acc/top1': value})
            for seed, value in zip(seeds, top1)]


def grid() -> dict:
    """A student, a method that distils, one that only beats the student
    (its scrambled control does as well) and one whose gain is noise."""
    return {
        'student': runs(0.50, 0.60, 0.55),
        'ours': runs(0.60, 0.68, 0.66),
        scrambled_name('ours'): runs(0.52, 0.61, 0.57),
        'regulariser': runs(0.60, 0.68, 0.66),
        scrambled_name('regulariser'): runs(0.61, 0.67, 0.66),
        'noisy': runs(0.60, 0.55, 0.57),
        scrambled_name('noisy'): runs(0.50, 0.50, 0.50),
    }


GAINS = Gains('student', 'acc/top1',
              {name: scrambled_name(name)
               for name in ('ours', 'regulariser', 'noisy')})


def test_scrambled_row_name():
    assert scrambled_name('MNF + CSC') == 'MNF + CSC (scrambled teacher)'


def test_paired_differences_pair_by_seed():
    method = runs(0.6, 0.7, 0.8)  # seeds 3 5 7
    reference = runs(0.5, 0.4, seeds=(5, 3))  # no seed 7, other order
    assert paired_differences(method, reference, 'acc/top1') == \
        pytest.approx([0.2, 0.2])
    assert paired_differences(method, [], 'acc/top1') == []
    assert paired_differences(method, reference, 'acc/top5') == []


@pytest.mark.parametrize('differences, counts', [
    ([0.10, 0.08, 0.11], True),
    ([0.10, -0.05, 0.02], False),  # mean 0.023 < std 0.061
    ([0.0, 0.0], False),  # no gain: mean == std == 0
    ([-0.1, -0.1], False),  # a loss with std 0
    ([0.2], False),  # one seed has no std
    ([], False),
])
def test_a_gain_counts_when_its_mean_exceeds_its_std(differences, counts):
    assert exceeds_std(differences) is counts


def test_method_gains_and_the_distils_rule():
    results = grid()
    ours = method_gains(results, GAINS, 'ours')
    assert ours.over_baseline == pytest.approx([0.10, 0.08, 0.11])
    assert ours.over_scrambled == pytest.approx([0.08, 0.07, 0.09])
    assert ours.distils is True
    # beats the student, but so does its scrambled control
    regulariser = method_gains(results, GAINS, 'regulariser')
    assert exceeds_std(regulariser.over_baseline)
    assert regulariser.distils is False
    # beats its (bad) scrambled control, not clearly the student
    noisy = method_gains(results, GAINS, 'noisy')
    assert exceeds_std(noisy.over_scrambled)
    assert noisy.distils is False
    # the baseline and the controls have no control
    assert method_gains(results, GAINS, 'student') == MethodGains(None, None)
    control = method_gains(results, GAINS, scrambled_name('ours'))
    assert control.over_baseline == pytest.approx([0.02, 0.01, 0.02])
    assert control.over_scrambled is None and control.distils is None


def test_too_few_paired_seeds_give_no_verdict():
    results = grid()
    results[scrambled_name('ours')] = []
    found = method_gains(results, GAINS, 'ours')
    assert found.over_scrambled == [] and found.distils is None
    # one seed (a one-seed demo): figures, not a verdict
    one = {name: records[:1] for name, records in grid().items()}
    found = method_gains(one, GAINS, 'ours')
    assert len(found.over_scrambled) == 1 and found.distils is None
    assert distils_cell(found.distils) == '-'


def test_gain_cells():
    assert gain_cell(None) == '-'
    assert gain_cell([]) == '-'
    assert gain_cell([-0.01234]) == '-0.0123'
    assert gain_cell([0.1, 0.3]) == '+0.2000 +- 0.1000'


def test_table_with_gains():
    table = format_comparison_table(grid(), 'T', 'python x.py', 'last',
                                    [3, 5, 7], GAINS)
    lines = table.splitlines()
    assert DISTILS_RULE in table  # the rule is in the header
    assert 'scrambled teacher' in lines[8]
    head = lines[-9]
    assert head.startswith('| method | top-1 | top-5 |')
    assert head.endswith('| top-1 gain vs student | top-1 gain vs scrambled '
                         '| distils | seeds |')
    rows = {line.split(' | ')[0][2:]: line.split(' | ')[-4:]
            for line in lines[-7:]}
    assert rows['student'] == ['-', '-', '-', '3 |']
    assert rows['ours'] == ['+0.0967 +- 0.0125', '+0.0800 +- 0.0082', 'yes',
                            '3 |']
    assert rows['regulariser'][2] == 'no'
    assert rows['noisy'][2] == 'no'
    assert rows[scrambled_name('ours')] == ['+0.0167 +- 0.0047', '-', '-',
                                            '3 |']
    assert list(rows) == list(grid())


def test_table_with_a_baseline_only():
    gains = Gains('student', 'acc/top1')
    table = format_comparison_table(grid(), 'T', 'python x.py', 'last',
                                    [3, 5, 7], gains)
    assert 'top-1 gain vs student | seeds |' in table
    assert 'distils' not in table and 'scrambled' not in table.split(
        '| method')[0]


def test_table_without_gains_is_unchanged():
    results = {'student': runs(0.5)}
    assert format_comparison_table(results, 'T', 'c', 'last', [3]) == (
        '# T\n\n```\nc\n```\n\nTest metrics of the last checkpoints: mean '
        '+- std over seeds 3 (std with ddof=0; one seed: the value).\n\n'
        '| method | top-1 | top-5 | retrieval mAP | R@1 | R@5 | seeds |\n'
        '|---|---|---|---|---|---|---|\n'
        '| student | 0.5000 | - | - | - | - | 1 |\n')


def test_summary_csv():
    rows = list(csv.DictReader(io.StringIO(format_summary_csv(grid(),
                                                              GAINS))))
    assert [row['method'] for row in rows] == list(grid())
    by_name = {row['method']: row for row in rows}
    ours = by_name['ours']
    assert ours['seeds'] == '3'
    assert float(ours['acc/top1 mean']) == pytest.approx(0.6467, abs=1e-4)
    assert float(ours['gain vs baseline mean']) == pytest.approx(0.09667,
                                                                 abs=1e-4)
    assert float(ours['gain vs scrambled std']) == pytest.approx(0.00816,
                                                                 abs=1e-4)
    assert ours['distils'] == 'yes'
    assert by_name['noisy']['distils'] == 'no'
    student = by_name['student']
    assert student['gain vs baseline mean'] == '' and student['distils'] == ''
    assert student['acc/top5 mean'] == ''
