# Copyright (c) mmxkd contributors. All rights reserved.
import re
import sys

from ..conftest import DISTILL_CFG, STUDENT_CFG, data_options, run_tool


def test_benchmark_prints_both_configs(synthetic_data):
    proc = run_tool([
        sys.executable, 'tools/analysis/benchmark_train_step.py', STUDENT_CFG,
        DISTILL_CFG, '--iters', '2', '--warmup', '1', '--batch-size', '4',
        '--cfg-options'
    ] + data_options(synthetic_data))
    rows = re.findall(r'([\d.]+) \+- +[\d.]+ ms/iter  x([\d.]+)  (\S+)',
                      proc.stdout)
    assert [r[2] for r in rows] == [STUDENT_CFG, DISTILL_CFG]
    assert float(rows[0][1]) == 1.0 and float(rows[1][0]) > 0
