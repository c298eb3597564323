# Copyright (c) mmxkd contributors. All rights reserved.
"""What the tools run: experiments of configs x seeds in run directories
(:mod:`.experiment`), their tables and plots (:mod:`.results`), the
arguments of the config-running tools (:mod:`.cli`) and the teacher feature
extraction (:mod:`.teacher_features`); the last two are imported by their
module path (they build MMEngine runners and models).
"""
from .experiment import (ExperimentRunner, Run, RunError, RunRecord,
                         config_stem, find_checkpoint, read_test_metrics,
                         read_val_curve, run_command, run_grid)
from .results import (format_accuracy_table, format_comparison_csv,
                      format_comparison_table, mean_std, plot_metric_bars,
                      plot_val_curves, prediction_scores)

__all__ = [
    'ExperimentRunner', 'Run', 'RunError', 'RunRecord', 'config_stem',
    'find_checkpoint', 'read_test_metrics', 'read_val_curve', 'run_command',
    'run_grid', 'format_accuracy_table',
    'format_comparison_csv', 'format_comparison_table', 'mean_std',
    'plot_metric_bars', 'plot_val_curves', 'prediction_scores'
]
