# Copyright (c) mmxkd contributors. All rights reserved.
"""Experiment tooling, apart from the runtime library (nothing the runner
imports lives here): runs of configs x seeds in run directories
(:mod:`.runner`, :mod:`.records`, :mod:`.run_inputs`), whether a method
distils (:mod:`.gains`), tables (:mod:`.tables`), plots (:mod:`.plots`),
test prediction scores (:mod:`.predictions`), training statistics
(:mod:`.train_stats`) and the train step benchmark (:mod:`.benchmark`,
imported by its module path: it builds models).
"""
from .gains import (DISTILS_RULE, Gains, MethodGains, distils_cell, gain_cell,
                    method_gains, scrambled_name)
from .plots import plot_metric_bars, plot_val_curves
from .predictions import prediction_scores
from .records import (CHECKPOINTS, PREDICTIONS_FILE, RunError, RunRecord,
                      config_stem, find_checkpoint, read_test_metrics,
                      read_train_curve, read_val_curve)
from .runner import (ExperimentRunner, Run, has_teacher, run_command,
                     run_grid, scrambled_options)
from .tables import (format_accuracy_table, format_comparison_csv,
                     format_comparison_table, format_summary_csv,
                     markdown_table, mean_std)
from .train_stats import (MNF_KEYS, collect_curves, find_runs,
                          format_stats_csv, format_stats_table, plot_stats)

__all__ = [
    'DISTILS_RULE', 'Gains', 'MethodGains', 'distils_cell', 'gain_cell',
    'method_gains', 'scrambled_name', 'plot_metric_bars', 'plot_val_curves',
    'prediction_scores', 'CHECKPOINTS', 'PREDICTIONS_FILE', 'RunError',
    'RunRecord', 'config_stem', 'find_checkpoint', 'read_test_metrics',
    'read_train_curve', 'read_val_curve', 'ExperimentRunner', 'Run',
    'has_teacher', 'run_command', 'run_grid', 'scrambled_options',
    'format_accuracy_table', 'format_comparison_csv',
    'format_comparison_table', 'format_summary_csv', 'markdown_table',
    'mean_std', 'MNF_KEYS', 'collect_curves', 'find_runs', 'format_stats_csv',
    'format_stats_table', 'plot_stats'
]
