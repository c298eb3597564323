# Copyright (c) mmxkd contributors. All rights reserved.
"""Checkpoint loading for MMEngine 0.10.7 on torch >= 2.6.

torch >= 2.6 loads with ``weights_only=True`` by default, which rejects the
training state MMEngine stores in its checkpoints (``HistoryBuffer`` objects
of the message hub), so ``--resume``, ``load_from`` and ``tools/test.py`` fail.
The loader registered here for local paths keeps ``weights_only=True`` for
every file and falls back to full unpickling only for checkpoints of the
user's own runs: files in a directory where MMEngine's ``CheckpointHook``
keeps its ``last_checkpoint`` record. Pretrained weights and student-only
exports hold tensors only and always load with ``weights_only=True``.
Applied only with torch >= 2.6 (torch < 2.6 unpickles everything by
default, as MMEngine expects).
"""
import os.path as osp
import pickle
from typing import Optional, Union

import torch
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader

from .patch import CompatPatch

RUN_RECORD = 'last_checkpoint'


def is_own_run_checkpoint(filename: str) -> bool:
    """Whether ``filename`` lies in a run directory written by MMEngine."""
    return osp.isfile(osp.join(osp.dirname(osp.abspath(filename)), RUN_RECORD))


def load_local_checkpoint(filename: str,
                          map_location: Optional[Union[str, torch.device]]
                          = None) -> dict:
    """Load a local checkpoint, weights-only unless it is one of our runs.

    Args:
        filename (str): Path of the checkpoint file.
        map_location (str | torch.device, optional): As in ``torch.load``.

    Returns:
        dict: The loaded checkpoint.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} can not be found.')
    try:
        return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        if not is_own_run_checkpoint(filename):
            raise pickle.UnpicklingError(
                f'checkpoint {filename} holds Python objects besides tensors '
                'and was refused by torch.load(weights_only=True). mmxkd '
                'unpickles such files only inside a run directory of '
                f'MMEngine (one with a "{RUN_RECORD}" file written by '
                'CheckpointHook). Weights for inference and fine-tuning can '
                'be exported with tools/model_converters/extract_student.py.'
                f'\nOriginal error: {err}') from err
    print_log(
        f'{filename} is a checkpoint of an own run (training state '
        'included): loading it with full unpickling.',
        logger='current')
    return torch.load(filename, map_location=map_location, weights_only=False)


def register_checkpoint_loader() -> None:
    """Make MMEngine's ``CheckpointLoader`` use :func:`load_local_checkpoint`
    for local paths (the scheme with the empty prefix)."""
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)


PATCH = CompatPatch(
    name='checkpoint',
    summary='local checkpoints load weights-only, and with full unpickling '
    'only inside their own run directory.',
    upstream='https://github.com/open-mmlab/mmengine/issues/1655 (MMEngine '
    'calls torch.load without weights_only, which torch 2.6 made default to '
    'True: https://github.com/pytorch/pytorch/pull/137602)',
    affected=('torch>=2.6', ),
    install=register_checkpoint_loader)
