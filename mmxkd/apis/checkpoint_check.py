# Copyright (c) mmxkd contributors. All rights reserved.
"""Whether a checkpoint holds the weights of the model it is loaded into.

MMEngine loads ``tools/test.py``'s checkpoint and ``load_from`` with
``strict=False``: a checkpoint of another model leaves the model's weights
as initialised, logs a warning and reports chance accuracy (or trains from
scratch), and ``--resume`` with one fails deep in the optimizer.
:func:`check_test_checkpoint` and :func:`check_train_checkpoint` fail
instead, before testing or training, naming the file. The weights that must
be found are the model's, or its student's for a distiller (a model with a
``student`` module: its teachers load their own weights); a resumed
checkpoint must hold every weight of the model.
"""
import logging
import os.path as osp
from dataclasses import dataclass
from typing import Mapping, Optional, Tuple

import torch.nn as nn
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import _load_checkpoint
from torch import Tensor

STUDENT = 'student'
# the key prefix MMEngine's Runner.load_checkpoint strips (revise_keys)
WRAPPER_PREFIX = 'module.'
PARTIAL_FLAG = '--allow-partial-checkpoint'


class CheckpointMismatch(ValueError):
    """A checkpoint that lacks weights of the model it is loaded into."""


@dataclass(frozen=True)
class CheckpointMatch:
    """How a checkpoint's weights match a model's.

    Args:
        scope (str): What must be found: ``'model'`` or ``'student'``.
        required (int): Number of the scope's weights (state-dict entries).
        missing (tuple[str]): The scope's weights the checkpoint lacks.
        mismatched (tuple[str]): The scope's weights it has in other shapes.
        unexpected (tuple[str]): Its weights the model does not have.
    """

    scope: str
    required: int
    missing: Tuple[str, ...]
    mismatched: Tuple[str, ...]
    unexpected: Tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether every weight of the scope is found, in its shape."""
        return not self.missing and not self.mismatched

    def describe(self, filename: str) -> str:
        """One sentence on the match, naming the checkpoint ``filename``."""
        examples = (self.missing + self.mismatched)[:3]
        return (
            f'checkpoint {filename} lacks {len(self.missing)} of the '
            f'{self.required} weights of the {self.scope}, has '
            f'{len(self.mismatched)} in other shapes and '
            f'{len(self.unexpected)} extra ones the model does not have'
            + (f' (e.g. {", ".join(examples)})' if examples else ''))


def match_state_dict(model: nn.Module,
                     state_dict: Mapping[str, Tensor],
                     whole: bool = False) -> CheckpointMatch:
    """Compare a state dict with a model's (its student's for a distiller).

    Args:
        model (nn.Module): The model, or a model wrapper around it.
        state_dict (Mapping[str, Tensor]): The checkpoint's weights; a
            ``module.`` prefix (from a wrapped model) is ignored.
        whole (bool): Require every weight of the model, a distiller's
            too (for resuming). Defaults to False.

    Returns:
        CheckpointMatch: The match.
    """
    if is_model_wrapper(model):
        model = model.module
    own = model.state_dict()
    scope = 'student' if not whole and isinstance(
        getattr(model, STUDENT, None), nn.Module) else 'model'
    required = [
        key for key in own
        if scope == 'model' or key.startswith(f'{STUDENT}.')
    ]
    found = {
        key[len(WRAPPER_PREFIX):] if key.startswith(WRAPPER_PREFIX) else key:
        value
        for key, value in state_dict.items()
    }
    missing = tuple(key for key in required if key not in found)
    mismatched = tuple(
        key for key in required if key in found
        and tuple(getattr(found[key], 'shape', ())) != tuple(own[key].shape))
    unexpected = tuple(key for key in found if key not in own)
    return CheckpointMatch(scope, len(required), missing, mismatched,
                           unexpected)


def check_test_checkpoint(model: nn.Module,
                          filename: str,
                          allow_partial: bool = False) -> CheckpointMatch:
    """Fail unless ``filename`` holds all of ``model``'s weights.

    Args:
        model (nn.Module): The built model (the runner's).
        filename (str): The checkpoint, loaded as MMEngine loads it
            (weights-only, :mod:`mmxkd.compat.checkpoint`).
        allow_partial (bool): Only warn about a partial match
            (``--allow-partial-checkpoint`` of ``tools/test.py``).

    Returns:
        CheckpointMatch: The match (complete, or partial and allowed).

    Raises:
        CheckpointMismatch: The checkpoint lacks weights of the model (its
            student's for a distiller), or has some in other shapes, and
            ``allow_partial`` is False.
    """
    return _check(model, filename, allow_partial, 'test')


def _check(model: nn.Module, filename: str, allow_partial: bool,
           action: str, whole: bool = False) -> CheckpointMatch:
    """:func:`check_test_checkpoint` for ``action`` ('test' or 'train')."""
    checkpoint = _load_checkpoint(filename, map_location='cpu')
    state_dict = checkpoint.get('state_dict', checkpoint) if isinstance(
        checkpoint, Mapping) else {}
    match = match_state_dict(model, state_dict, whole=whole)
    if match.complete:
        if match.unexpected:
            print_log(
                match.describe(filename) + ': the extra ones are ignored.',
                logger='current',
                level=logging.WARNING)
        return match
    if whole:
        raise CheckpointMismatch(
            match.describe(filename) + '. --resume continues a training of '
            'this config from its own checkpoint; to start from another '
            f'model\'s weights use load_from with {PARTIAL_FLAG}.')
    if not allow_partial:
        raise CheckpointMismatch(
            match.describe(filename) + '. Is it a checkpoint of this '
            f'config? Pass {PARTIAL_FLAG} to {action} with the weights it '
            'has and the rest as initialised.')
    print_log(
        match.describe(filename) + f': {action}ing anyway ({PARTIAL_FLAG}), '
        'the rest as initialised.',
        logger='current',
        level=logging.WARNING)
    return match


def resolve_train_checkpoint(cfg) -> Optional[str]:
    """The checkpoint a training will load, set as ``cfg.load_from``.

    ``load_from`` when set; with ``resume=True`` and no ``load_from``, the
    one the work dir's ``last_checkpoint`` names. A ``last_checkpoint`` that
    names a file in another directory (the work dir was copied or moved) is
    taken from this work dir, where a file of that name must exist.

    Args:
        cfg: The merged training config (changed in place).

    Returns:
        The checkpoint, or None when the training starts from scratch.

    Raises:
        FileNotFoundError: The checkpoint does not exist; the message names
            it and the config key or file that gave it.
    """
    if cfg.get('load_from'):
        if not osp.isfile(cfg.load_from):
            key = '--resume' if cfg.get('resume') else 'load_from'
            raise FileNotFoundError(
                f'checkpoint {cfg.load_from} ({key}) does not exist')
        return cfg.load_from
    pointer = osp.join(cfg.work_dir, 'last_checkpoint')
    if not cfg.get('resume') or not osp.isfile(pointer):
        return None
    with open(pointer) as f:
        named = f.read().strip()
    path = osp.join(cfg.work_dir, osp.basename(named))
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{pointer} names {named!r}, and {path} does not exist: '
            'nothing to resume from in this work dir')
    if osp.abspath(named) != osp.abspath(path):
        print_log(
            f'{pointer} names {named}, outside this work dir (a copied '
            f'run?): resuming from {path}',
            logger='current',
            level=logging.WARNING)
    cfg.load_from = path
    return path


def check_train_checkpoint(model: nn.Module, filename: Optional[str],
                           resume: bool,
                           allow_partial: bool = False
                           ) -> Optional[CheckpointMatch]:
    """Fail unless the checkpoint a training loads fits its model.

    Args:
        model (nn.Module): The built model (the runner's).
        filename (str, optional): The checkpoint
            (:func:`resolve_train_checkpoint`); None checks nothing.
        resume (bool): The training resumes from it: every weight of the
            model must be there, whatever ``allow_partial`` says.
        allow_partial (bool): For ``load_from``: only warn about a partial
            match (``--allow-partial-checkpoint`` of ``tools/train.py``).

    Returns:
        CheckpointMatch: The match, None without a checkpoint.

    Raises:
        CheckpointMismatch: As :func:`check_test_checkpoint`; the message
            names the file.
    """
    if filename is None:
        return None
    return _check(model, filename, allow_partial, 'train', whole=resume)
