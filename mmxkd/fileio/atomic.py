# Copyright (c) mmxkd contributors. All rights reserved.
"""Atomic file writing: a killed process leaves either the old file or the
complete new one, never a truncated file.

Everything goes to ``<path>.tmp-<pid>`` in the folder of ``path``, is synced
to disk and renamed over ``path`` (``os.replace``); on an error the temporary
file is removed and ``path`` is left as it was.
"""
import contextlib
import glob
import json
import os
import os.path as osp
from contextlib import contextmanager
from types import TracebackType
from typing import IO, Any, Iterable, Iterator, Optional, Type

# marks the temporary files of AtomicFile: <name>.tmp-<pid>
TMP_MARK = '.tmp-'


class AtomicFile:
    """A file that is written under a temporary name and appears at its
    path only when committed.

    As a context manager it yields the temporary path, commits when the block
    ends and discards the file when the block raises. ``commit`` and
    ``discard`` may also be called directly (e.g. to keep a file only when
    it turned out complete); after either, the other does nothing.

    Args:
        path (str): Where the file appears. Its folder is created if needed.

    Example:
        >>> with AtomicFile('out.mp4') as tmp:
        ...     encode_video(tmp)  # out.mp4 appears only if this succeeds
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.tmp = f'{path}{TMP_MARK}{os.getpid()}'
        self.done = False
        os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)

    def commit(self) -> None:
        """Sync the temporary file to disk and rename it to ``path``."""
        if self.done:
            return
        self.done = True
        try:
            with open(self.tmp, 'rb') as f:
                os.fsync(f.fileno())
            os.replace(self.tmp, self.path)
        finally:
            self._remove_tmp()

    def discard(self) -> None:
        """Remove the temporary file; ``path`` stays as it was."""
        self.done = True
        self._remove_tmp()

    def _remove_tmp(self) -> None:
        if osp.lexists(self.tmp):
            os.remove(self.tmp)

    def __enter__(self) -> str:
        return self.tmp

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


@contextmanager
def atomic_open(path: str, mode: str = 'w', **kwargs: Any) -> Iterator[IO]:
    """``open(path, mode)`` for writing, through an :class:`AtomicFile`.

    Args:
        path (str): The file to write.
        mode (str): A writing mode of ``open``. Defaults to ``'w'``.
        **kwargs: Other arguments of ``open`` (``encoding``, ...).

    Yields:
        The open temporary file; it is renamed to ``path`` when the block
        ends, removed when the block raises.
    """
    with AtomicFile(path) as tmp, open(tmp, mode, **kwargs) as f:
        yield f


def _writer_alive(tmp: str) -> bool:
    """Whether the process whose pid ends a temporary file's name still
    runs on this machine."""
    try:
        pid = int(tmp.rsplit(TMP_MARK, 1)[1])
        os.kill(pid, 0)
    except ValueError:
        return False  # not a pid: nobody's
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def remove_stale_temp_files(folder: str, pattern: str = '*') -> int:
    """Delete the temporary files that killed writers left below ``folder``:
    those whose writer (the pid in the name) no longer runs. The files of
    live writers on this machine are kept, so it is safe while other
    processes write there.

    Args:
        folder (str): Searched recursively.
        pattern (str): Glob of the final names whose temporary files to
            delete, e.g. ``'*.npy'``. Defaults to every name.

    Returns:
        int: The number of files deleted.
    """
    stale = [
        path for path in glob.glob(
            osp.join(glob.escape(folder), '**', f'{pattern}{TMP_MARK}*'),
            recursive=True) if not _writer_alive(path)
    ]
    for path in stale:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
    return len(stale)


def write_lines(path: str, lines: Iterable[str]) -> None:
    """Write a text file atomically, each entry of ``lines`` and a newline.

    Args:
        path (str): The file.
        lines (Iterable[str]): Its lines, without line ends.
    """
    with atomic_open(path) as f:
        f.write(''.join(line + '\n' for line in lines))


def save_json(path: str, obj: Any, **kwargs: Any) -> None:
    """``json.dump`` ``obj`` to ``path`` atomically, ending with a newline.

    Args:
        path (str): The file.
        obj: What to write.
        **kwargs: Arguments of ``json.dump`` (``indent``, ...).
    """
    with atomic_open(path) as f:
        json.dump(obj, f, **kwargs)
        f.write('\n')


def save_torch(path: str, obj: Any) -> None:
    """``torch.save`` ``obj`` to ``path`` atomically.

    Args:
        path (str): The file.
        obj: What to save (e.g. a checkpoint dict).
    """
    with atomic_open(path, 'wb') as f:
        import torch  # only here: readers of JSON and .npy files need none
        torch.save(obj, f)
