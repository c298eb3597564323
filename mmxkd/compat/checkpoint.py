# Copyright (c) mmxkd contributors. All rights reserved.
"""Checkpoint loading for MMEngine 0.10.7 on torch >= 2.6: weights-only.

MMEngine calls ``torch.load`` without ``weights_only``; torch >= 2.6 then
loads weights-only, which rejects the training state MMEngine stores in its
own checkpoints (``HistoryBuffer`` objects of the message hub, holding numpy
arrays and scalars), so ``--resume``, ``load_from`` and ``tools/test.py``
fail. The loader registered here for local paths loads every file with
``torch.load(weights_only=True)``, with an allowlist of exactly the types
MMEngine's checkpoints need (:data:`SAFE_GLOBALS`), in effect during that
load only. No file is ever unpickled, wherever it lies: one that needs any
other global is refused with a :class:`CheckpointRefused` error that names
the file and the global. Applied only with torch >= 2.6 (torch < 2.6
unpickles everything by default, as MMEngine expects).
"""
import os.path as osp
import pickle
from types import ModuleType
from typing import Any, Callable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader


# The statistics HistoryBuffer registers for itself; its pickled state holds
# them as ``getattr(HistoryBuffer, name)`` (protocol 2, nested qualname).
HISTORY_BUFFER_STATISTICS = ('min', 'max', 'current', 'mean')


def history_buffer_statistic(owner: type, name: str) -> Callable:
    """``getattr`` as checkpoints may call it: only for the statistics
    methods of ``HistoryBuffer`` (:data:`HISTORY_BUFFER_STATISTICS`).

    Args:
        owner (type): Must be ``HistoryBuffer``.
        name (str): One of :data:`HISTORY_BUFFER_STATISTICS`.

    Returns:
        Callable: ``getattr(HistoryBuffer, name)``.

    Raises:
        pickle.UnpicklingError: Any other attribute of any object.
    """
    if owner is not HistoryBuffer or name not in HISTORY_BUFFER_STATISTICS:
        raise pickle.UnpicklingError(
            f'Unsupported global: GLOBAL builtins.getattr on {owner!r}, '
            f'{name!r} (only HistoryBuffer.{{'
            f'{",".join(HISTORY_BUFFER_STATISTICS)}}} are allowed)')
    return getattr(HistoryBuffer, name)


def _numpy_multiarray() -> ModuleType:
    """numpy's ``multiarray`` module (``numpy._core`` from numpy 2 on)."""
    core = getattr(np, '_core', None)
    if core is None:  # numpy < 2
        core = np.core
    return core.multiarray


def _numpy_globals() -> List[Union[Callable, Tuple[Callable, str]]]:
    """numpy arrays, scalars and their plain numeric dtypes, under the
    module names of numpy 2 (``numpy._core``) and numpy 1 (``numpy.core``),
    so checkpoints saved with either load."""
    multiarray = _numpy_multiarray()
    allowed: List[Union[Callable, Tuple[Callable, str]]] = [
        np.ndarray, np.dtype
    ]
    for name in ('_reconstruct', 'scalar'):
        function = getattr(multiarray, name)
        for module in ('numpy._core.multiarray', 'numpy.core.multiarray'):
            allowed.append((function, f'{module}.{name}'))
    # the dtype objects' own classes (np.dtypes.Float64DType, ...): numeric
    # and bool only, never the object dtype
    for kind in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
                 np.uint16, np.uint32, np.uint64, np.float16, np.float32,
                 np.float64):
        allowed.append(type(np.dtype(kind)))
    return allowed


#: Everything besides tensors and plain containers that MMEngine 0.10.7's
#: checkpoints hold (``message_hub`` state), allowed during our loads only.
SAFE_GLOBALS: List[Union[Callable, Tuple[Callable, str]]] = [
    HistoryBuffer,
    (history_buffer_statistic, 'builtins.getattr'),
    *_numpy_globals(),
]

_TORCH_DETAIL = 'WeightsUnpickler error:'
_TORCH_BOILERPLATE = ('Weights only load failed', 'Check the documentation')


class CheckpointRefused(pickle.UnpicklingError):
    """A checkpoint that ``torch.load(weights_only=True)`` refused."""


class CheckpointUnreadable(ValueError):
    """A checkpoint file that is truncated or not a torch checkpoint."""


def refused_type(error: Exception) -> str:
    """What torch's weights-only unpickler refused, from its error.

    Args:
        error (Exception): The error of ``torch.load(weights_only=True)``.

    Returns:
        str: torch's first sentence about the refused global or type
        (e.g. ``Unsupported global: GLOBAL exec was not an allowed global
        by default``), without its advice.
    """
    text = str(error)
    if _TORCH_DETAIL in text:
        text = text.split(_TORCH_DETAIL, 1)[1]
    else:
        paragraphs = [
            paragraph.strip() for paragraph in text.split('\n\n')
            if paragraph.strip()
            and not paragraph.strip().startswith(_TORCH_BOILERPLATE)
        ]
        text = paragraphs[0] if paragraphs else text
    return text.strip().split('. ')[0].strip()


def load_local_checkpoint(filename: str,
                          map_location: Optional[Union[str, torch.device,
                                                       Callable]] = None
                          ) -> Any:
    """Load a local checkpoint with ``torch.load(weights_only=True)``.

    Args:
        filename (str): Path of the checkpoint file (``~`` expanded).
        map_location (str | torch.device | Callable, optional): As in
            ``torch.load``.

    Returns:
        Any: The loaded checkpoint (a dict for MMEngine's checkpoints).

    Raises:
        FileNotFoundError: ``filename`` is not a file.
        CheckpointRefused: The file holds a global that is neither torch's
            nor in :data:`SAFE_GLOBALS`; the message names the file and it.
        CheckpointUnreadable: The file is truncated or not a checkpoint;
            the message names it.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} can not be found.')
    try:
        with torch.serialization.safe_globals(SAFE_GLOBALS):
            return torch.load(
                filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise CheckpointRefused(
            f'checkpoint {filename} was refused: mmxkd loads checkpoints '
            'weights-only only (torch.load(weights_only=True), tensors, '
            'plain containers and the training state of MMEngine\'s '
            'checkpoints), and never unpickles a file, wherever it lies. '
            f'torch refused: {refused_type(err)}') from None
    except (RuntimeError, EOFError) as err:
        raise CheckpointUnreadable(
            f'checkpoint {filename} cannot be read: it is truncated (a '
            'write that was cut short) or not a torch checkpoint '
            f'({type(err).__name__}: {str(err).split(". ")[0] or "empty"})'
        ) from None


def register_checkpoint_loader() -> None:
    """Make MMEngine's ``CheckpointLoader`` use :func:`load_local_checkpoint`
    for local paths (the scheme with the empty prefix)."""
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
