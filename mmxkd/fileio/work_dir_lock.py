# Copyright (c) mmxkd contributors. All rights reserved.
"""One writer per work directory.

``tools/train.py`` and ``tools/test.py`` hold ``<work_dir>/.writer.lock``
(an exclusive ``flock``) while they run, so a second run into the same work
dir stops at once with an error naming the holder instead of interleaving
logs and overwriting checkpoints. The kernel releases the lock when the
holder ends, however it ends (a SIGKILL too), so a killed run leaves no lock
to clean up; the holder's description in the file is then just overwritten.
Only the main process of a distributed run (``RANK`` unset or 0) locks.
"""
import fcntl
import json
import os
import os.path as osp
import socket
import sys
import time
from contextlib import contextmanager
from typing import Iterator

WRITER_LOCK_FILE = '.writer.lock'


class WorkDirBusy(RuntimeError):
    """Another process is writing into the work directory."""


def _holder(path: str) -> str:
    """The description the current holder wrote into the lock file."""
    try:
        with open(path) as f:
            info = json.load(f)
        return (f"pid {info['pid']} on {info['host']}, started "
                f"{info['started']}: {' '.join(info['argv'])}")
    except (OSError, ValueError, KeyError, TypeError):
        return 'a process that has not described itself yet'


def is_main_process_env() -> bool:
    """Whether this process is rank 0 of its launch (or not distributed),
    from the launcher's ``RANK`` variable."""
    return os.environ.get('RANK', '0') == '0'


@contextmanager
def hold_work_dir(work_dir: str) -> Iterator[None]:
    """Hold the work directory's writer lock for the ``with`` block.

    Args:
        work_dir (str): The run's work directory (created if needed).

    Raises:
        WorkDirBusy: Another live process holds the lock; the message names
            it (pid, host, start time, command line).
    """
    if not is_main_process_env():
        yield
        return
    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, WRITER_LOCK_FILE)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WorkDirBusy(
                f'work dir {work_dir} is in use by another run ('
                f'{_holder(path)}); two runs in one work dir would '
                'interleave their logs and overwrite each other\'s '
                'checkpoints. Wait for it to end or choose another '
                '--work-dir') from None
        info = dict(
            pid=os.getpid(),
            host=socket.gethostname(),
            started=time.strftime('%Y-%m-%d %H:%M:%S'),
            argv=sys.argv)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
