# Copyright (c) mmxkd contributors. All rights reserved.
"""A process pool with a progress bar, for the data tools."""
import sys
from contextlib import contextmanager, nullcontext
from multiprocessing import Pool
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar('T')
R = TypeVar('R')


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr: tqdm's where tqdm is installed, mmengine's
    otherwise.

    Args:
        total (int): The number of steps.

    Yields:
        Callable[[], None]: Advances the bar by one step.
    """
    try:
        from tqdm import tqdm
    except ImportError:
        from mmengine.utils import ProgressBar  # it imports torch
        bar = ProgressBar(total, file=sys.stderr)
        try:
            yield bar.update
        finally:
            sys.stderr.write('\n')
            sys.stderr.flush()
    else:
        with tqdm(total=total, file=sys.stderr) as bar:
            yield bar.update


def track_map(func: Callable[[T], R],
              tasks: Sequence[T],
              workers: int = 1,
              chunksize: int = 1) -> Iterator[R]:
    """``func`` of every task, in the order of ``tasks``, with a progress bar.

    With ``workers > 1`` (and more than one task) the tasks run in a
    ``multiprocessing.Pool`` of ``min(workers, len(tasks))`` processes, so
    ``func`` and the tasks must pickle (e.g. a module-level function or a
    ``functools.partial`` of one); otherwise they run here, one by one.
    No bar is shown for no task.

    Args:
        func (Callable): Applied to each task.
        tasks (Sequence): The tasks.
        workers (int): Processes. Defaults to 1.
        chunksize (int): Tasks sent to a process at a time. Defaults to 1.

    Yields:
        The results, as each becomes available in order.
    """
    if not tasks:
        return
    parallel = workers > 1 and len(tasks) > 1
    with (Pool(min(workers, len(tasks))) if parallel else
          nullcontext()) as pool, progress_bar(len(tasks)) as advance:
        results = (
            pool.imap(func, tasks, chunksize) if parallel else map(
                func, tasks))
        for result in results:
            advance()
            yield result
