# Copyright (c) mmxkd contributors. All rights reserved.
import json
import re
import sys

import pytest

from ..conftest import DISTILL_CFG, STUDENT_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


def test_benchmark_prints_both_configs(synthetic_data, tmp_path):
    json_path = tmp_path / 'bench.json'
    proc = run_tool([
        sys.executable, 'tools/analysis/benchmark_train_step.py', STUDENT_CFG,
        DISTILL_CFG, '--synthetic-batch', '--rounds', '2', '--warmup', '1',
        '--batch-size', '4', '--loader-batches', '2', '--workers', '0',
        '--json', str(json_path), '--cfg-options'
    ] + data_options(synthetic_data))
    # config | ms median | ms IQR | x first median | x first IQR | step
    # clips/s | loader clips/s (workers) | loader / step | ...
    rows = re.findall(
        r'^\| (\S+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| '
        r'([\d.]+) \| ([\d.]+) \(0\) \| ([\d.]+) \|', proc.stdout, re.M)
    assert [r[0] for r in rows] == [STUDENT_CFG, DISTILL_CFG]
    assert rows[0][3:5] == ('1.000', '0.000')
    assert all(float(r[1]) > 0 and float(r[6]) > 0 for r in rows)
    report = json.loads(json_path.read_text())
    assert report['configs'][0]['ratio_to_first']['median'] == 1.0
    assert [c['loader']['batches'] for c in report['configs']] == [2, 2]
    assert {'cpu_count', 'torch', 'threads'} <= set(report['machine'])
    assert f'torch {report["machine"]["torch"]}' in proc.stdout
