# Copyright (c) mmxkd contributors. All rights reserved.
"""Checkpoint writes that survive a kill at any moment.

MMEngine 0.10.7 writes a checkpoint straight to its final name (a kill leaves
a truncated ``.pth``) and ``CheckpointHook`` deletes the previous best
checkpoint *before* it writes the new one (a kill in between leaves no best
at all, or a 0-byte one). This patch writes every local checkpoint under a
temporary name and renames it when complete (:class:`mmxkd.fileio.
AtomicFile`), writes ``last_checkpoint`` the same way, and deletes the
previous best only once the new best is complete.
"""
import os.path as osp
from functools import wraps
from typing import Any, Callable, Dict, Optional

import mmengine.runner
import mmengine.runner.checkpoint
import mmengine.runner.runner
from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from mmxkd.fileio import AtomicFile, atomic_open

LAST_CHECKPOINT_FILE = 'last_checkpoint'


def is_local(filename: str) -> bool:
    """Whether ``filename`` is a local path (not ``scheme://...``)."""
    return '://' not in str(filename)


def atomic_save_checkpoint(save: Callable) -> Callable:
    """Wrap MMEngine's ``save_checkpoint`` so that a local checkpoint
    appears at its name only when it is completely written.

    Args:
        save: MMEngine's ``save_checkpoint(checkpoint, filename, ...)``.

    Returns:
        The wrapper.
    """

    @wraps(save)
    def wrapper(checkpoint: dict, filename: str, *args: Any,
                **kwargs: Any) -> None:
        if not is_local(filename):
            return save(checkpoint, filename, *args, **kwargs)
        with AtomicFile(str(filename)) as tmp:
            save(checkpoint, tmp, *args, **kwargs)

    wrapper.mmxkd_atomic = True
    return wrapper


def _best_paths(hook: CheckpointHook) -> Dict[Optional[str], Optional[str]]:
    """The hook's current best checkpoint per key indicator (None for the
    single-indicator attribute ``best_ckpt_path``)."""
    if hasattr(hook, 'best_ckpt_path_dict'):
        return dict(hook.best_ckpt_path_dict)
    return {None: getattr(hook, 'best_ckpt_path', None)}


def _set_best_paths(hook: CheckpointHook,
                    paths: Dict[Optional[str], Optional[str]]) -> None:
    if hasattr(hook, 'best_ckpt_path_dict'):
        hook.best_ckpt_path_dict.update(paths)
    else:
        hook.best_ckpt_path = paths[None]


def keep_best_until_replaced(method: Callable) -> Callable:
    """Wrap ``CheckpointHook._save_best_checkpoint``: the previous best
    checkpoint is hidden from MMEngine (so it is not deleted first) and
    removed only after the new best is written.

    Args:
        method: ``CheckpointHook._save_best_checkpoint``.

    Returns:
        The wrapper.
    """

    @wraps(method)
    def wrapper(self: CheckpointHook, runner, metrics: dict) -> None:
        before = _best_paths(self)
        _set_best_paths(self, {key: None for key in before})
        try:
            method(self, runner, metrics)
        finally:
            after = _best_paths(self)
            _set_best_paths(self, {
                key: after[key] if after[key] is not None else before[key]
                for key in before
            })
        if not is_main_process():
            return
        for key, old in before.items():
            new = after[key]
            if old and new and old != new and osp.isfile(old):
                self.file_backend.remove(old)
                runner.logger.info(
                    f'The previous best checkpoint {old} is removed')

    wrapper.mmxkd_atomic = True
    return wrapper


def atomic_last_checkpoint(method: Callable) -> Callable:
    """Wrap ``CheckpointHook._save_checkpoint_with_step`` so that
    ``last_checkpoint`` is rewritten atomically after MMEngine writes it.

    MMEngine opens ``last_checkpoint`` for writing in place; the wrapper
    writes the same path again through a temporary file, so the file is
    never left empty for longer than that one write.

    Args:
        method: ``CheckpointHook._save_checkpoint_with_step``.

    Returns:
        The wrapper.
    """

    @wraps(method)
    def wrapper(self: CheckpointHook, runner, step: int, meta: dict) -> None:
        method(self, runner, step, meta)
        if is_main_process() and self.last_ckpt is not None:
            with atomic_open(osp.join(runner.work_dir,
                                      LAST_CHECKPOINT_FILE)) as f:
                f.write(str(self.last_ckpt))

    wrapper.mmxkd_atomic = True
    return wrapper


def install_atomic_checkpoints() -> None:
    """Install the three wrappers (idempotent)."""
    save = mmengine.runner.checkpoint.save_checkpoint
    if not getattr(save, 'mmxkd_atomic', False):
        wrapped = atomic_save_checkpoint(save)
        for module in (mmengine.runner.checkpoint, mmengine.runner.runner,
                       mmengine.runner):
            module.save_checkpoint = wrapped
    for name, wrap in (('_save_best_checkpoint', keep_best_until_replaced),
                       ('_save_checkpoint_with_step',
                        atomic_last_checkpoint)):
        method = getattr(CheckpointHook, name)
        if not getattr(method, 'mmxkd_atomic', False):
            setattr(CheckpointHook, name, wrap(method))
