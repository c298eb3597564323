# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/analysis/benchmark_gpu.sh where there is no CUDA: its arguments
are checked, then it refuses with one line, having run nothing."""
import pytest

from ..conftest import run_tool

pytestmark = pytest.mark.integration

TOOL = ['bash', 'tools/analysis/benchmark_gpu.sh']


@pytest.fixture
def no_cuda(monkeypatch) -> None:
    """No CUDA device for the tool, even on a machine with one."""
    monkeypatch.setenv('CUDA_VISIBLE_DEVICES', '')


def test_refuses_without_cuda_in_one_line(no_cuda, tmp_path):
    json_path = tmp_path / 'bench.json'
    proc = run_tool(
        TOOL + ['--iters', '1', '--amp', 'on', '--json',
                str(json_path)],
        check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line, = proc.stderr.splitlines()
    assert line.startswith('benchmark_gpu.sh: CUDA is required'), line
    assert line.endswith('nothing was run.')
    assert not json_path.exists()
    assert 'train step' not in proc.stdout


@pytest.mark.parametrize('args, message', [
    (['--amp', 'fast'], "argument --amp: invalid choice: 'fast'"),
    (['--workers', '-1'], "argument --workers: expected an integer >= 0, "
     "got '-1'"),
    (['--workers', 'many'], 'argument --workers: expected an integer'),
])
def test_bad_arguments_are_refused_before_the_cuda_check(
        no_cuda, args, message):
    proc = run_tool(TOOL + args, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr
    assert 'CUDA is required' not in proc.stderr


def test_help(no_cuda):
    proc = run_tool(TOOL + ['--help'])
    for option in ('--workers', '--batch-size', '--iters', '--amp',
                   '{off,on,both}', '--data-root'):
        assert option in proc.stdout
    assert 'CUDA is required' not in proc.stdout + proc.stderr
