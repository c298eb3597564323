# Copyright (c) mmxkd contributors. All rights reserved.
"""The train / test commands of README.md and the get-started page run as
printed after the demo, from a folder where only the demo has run.

The demo runs as ``make demo`` runs it (``tools/run_distillation.py``, its
default seed, teacher and configs) on fewer generated clips, with one student
epoch and without the scrambled control. Then every ``tools/train.py``,
``tools/test.py`` and ``tools/dist_train.sh`` command of those pages runs
verbatim, in page order, each once; only ``dist_train.sh`` gets a shorter
schedule appended.
"""
import os
import os.path as osp
import subprocess
import sys
from typing import List

import pytest

from .conftest import ROOT
from .test_docs import PLACEHOLDER, shell_commands
from .tools.test_dist_train import _free_port

PAGES = ('README.md', 'docs/en/get_started.md')
TOOLS = ('tools/train.py', 'tools/test.py', 'tools/dist_train.sh')
SHORT_SCHEDULE = ['--cfg-options', 'train_cfg.max_epochs=2']


def doc_commands() -> List[List[str]]:
    """The pages' runnable train / test commands, each once, in order."""
    commands: List[List[str]] = []
    for page in PAGES:
        for _, argv in shell_commands(page):
            if (len(argv) > 1 and argv[1] in TOOLS
                    and not PLACEHOLDER.search(' '.join(argv))
                    and argv not in commands):
                commands.append(argv)
    return commands


def run(argv: List[str], cwd: str) -> subprocess.CompletedProcess:
    bin_dir = osp.dirname(sys.executable)
    env = dict(
        os.environ,
        PATH=bin_dir + os.pathsep + os.environ['PATH'],
        PORT=str(_free_port()),
        PYTHONUNBUFFERED='1')
    proc = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (f'{" ".join(argv)} failed in {cwd}:\n'
                                  f'{proc.stdout[-3000:]}\n'
                                  f'{proc.stderr[-3000:]}')
    return proc


@pytest.fixture(scope='module')
def after_demo(tmp_path_factory) -> str:
    """A folder with the repository's configs and tools where the demo has
    run; its data and work dirs at the demo's default places."""
    home = tmp_path_factory.mktemp('newcomer')
    for name in ('configs', 'tools'):
        os.symlink(osp.join(ROOT, name), home / name)
    python = sys.executable
    run([
        python, 'tools/data/synthetic/generate_synthetic_av.py',
        'data/synthetic_av_scenes', '--design', 'scenes', '--contrast', '40',
        '--num-train', '16', '--num-val', '8'
    ], str(home))
    run([python, 'tools/run_distillation.py', '--epochs', '1',
         '--no-control'], str(home))
    return str(home)


def test_the_pages_name_commands_to_run():
    tools = [argv[1] for argv in doc_commands()]
    assert set(tools) == set(TOOLS), tools


@pytest.mark.integration
def test_train_and_test_commands_run_as_printed_after_the_demo(after_demo):
    for argv in doc_commands():
        if argv[1] == 'tools/dist_train.sh':
            argv = argv + SHORT_SCHEDULE
        proc = run(argv, after_demo)
        if argv[1] == 'tools/test.py':
            assert 'acc/top1' in proc.stdout + proc.stderr
