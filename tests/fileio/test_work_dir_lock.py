# Copyright (c) mmxkd contributors. All rights reserved.
"""One writer per work dir: a second training or test into a work dir in
use stops at once, naming the holder; a killed holder leaves no lock."""
import os
import signal
import subprocess
import sys

import pytest

from mmxkd.fileio import WRITER_LOCK_FILE, WorkDirBusy, hold_work_dir
from ..conftest import ROOT, STUDENT_CFG, run_tool

pytestmark = pytest.mark.integration

HOLD = '''
import sys, time
from mmxkd.fileio import hold_work_dir
with hold_work_dir(sys.argv[1]):
    print('holding', flush=True)
    time.sleep(600)
'''


@pytest.fixture
def holder(tmp_path):
    """A process holding the lock of ``tmp_path / 'run'``."""
    work_dir = str(tmp_path / 'run')
    proc = subprocess.Popen([sys.executable, '-c', HOLD, work_dir],
                            cwd=ROOT,
                            stdout=subprocess.PIPE,
                            text=True)
    for line in proc.stdout:  # after the import's log line
        if line.strip() == 'holding':
            break
    yield work_dir, proc
    proc.kill()
    proc.wait()


def test_a_second_writer_is_refused_until_the_holder_dies(holder,
                                                         monkeypatch):
    work_dir, proc = holder
    monkeypatch.delenv('RANK', raising=False)
    with pytest.raises(WorkDirBusy, match=f'pid {proc.pid} on '):
        with hold_work_dir(work_dir):
            pass
    monkeypatch.setenv('RANK', '1')  # only the main process locks
    with hold_work_dir(work_dir):
        pass
    monkeypatch.delenv('RANK')
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with hold_work_dir(work_dir):  # the kernel released the dead one's lock
        with pytest.raises(WorkDirBusy, match=f'pid {os.getpid()} on '):
            with hold_work_dir(work_dir):
                pass


@pytest.mark.parametrize('tool', ['train', 'test'])
def test_tools_refuse_a_work_dir_in_use(holder, tool):
    work_dir, proc = holder
    args = [sys.executable, f'tools/{tool}.py', STUDENT_CFG]
    if tool == 'test':
        checkpoint = os.path.join(os.path.dirname(work_dir), 'x.pth')
        open(checkpoint, 'w').close()
        args.append(checkpoint)
    out = run_tool(args + ['--work-dir', work_dir], check=False)
    assert out.returncode != 0
    assert f'work dir {work_dir} is in use by another run (pid {proc.pid}' \
        in out.stderr
    assert os.listdir(work_dir) == [WRITER_LOCK_FILE]  # nothing written
