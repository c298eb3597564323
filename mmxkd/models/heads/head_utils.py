# Copyright (c) mmxkd contributors. All rights reserved.
"""Helpers shared by the distillation heads: the labels a label term uses
on a label-scarce batch, a loss over the labelled clips, and CSC's
cross-batch cosines and temperature statistics."""
from typing import Dict, Optional, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from ..utils import gather_batch, labelled_scale
from .distill_inputs import DistillInputs

#: What a head's label terms may do with unlabelled clips.
UNLABELLED_MODES = ('skip', 'teacher')


def check_unlabelled(head: str, unlabelled: str) -> str:
    """Check a head's ``unlabelled`` option.

    Args:
        head (str): The head's name, for the message.
        unlabelled (str): The option's value.

    Returns:
        str: ``unlabelled``, when it is one of :data:`UNLABELLED_MODES`
        (else a ValueError naming the head's option).
    """
    if unlabelled not in UNLABELLED_MODES:
        raise ValueError(f'{head}: unlabelled must be one of '
                         f'{UNLABELLED_MODES}, got {unlabelled!r}')
    return unlabelled


def head_labels(inputs: DistillInputs, teacher: str,
                unlabelled: str) -> Tuple[Tensor, Optional[Tensor]]:
    """The labels a label term uses, and the clips it counts.

    ``'skip'``: the batch's labels and its ``labelled`` mask. ``'teacher'``:
    the labels with each unlabelled clip's replaced by the argmax of
    ``teacher``'s logits, and None (every clip counts).

    Args:
        inputs (DistillInputs): The batch.
        teacher (str): The teacher whose logits label the unlabelled clips.
        unlabelled (str): ``'skip'`` or ``'teacher'``.

    Returns:
        tuple: The labels and the mask of the clips counted (None: all).

    Shapes:
        labels (N, ) or (N, C) (then every clip must be labelled, or
        ``'skip'``); mask (N, ) bool.
    """
    if unlabelled == 'skip':
        return inputs.labels, inputs.labelled
    if bool(inputs.labelled.all()):
        return inputs.labels, None
    pseudo = inputs.teacher_logits[teacher].argmax(dim=1)
    return torch.where(inputs.labelled, inputs.labels, pseudo), None


def labelled_loss(loss: nn.Module, logits: Tensor, labels: Tensor,
                  labelled: Optional[Tensor]) -> Tensor:
    """``loss(logits, labels)`` over the labelled clips: on every clip
    without a mask or when every clip of the whole batch is labelled,
    else on this rank's labelled clips scaled to its share of the mean
    over the whole batch's (:func:`~mmxkd.models.utils.labelled_share`),
    and ``0 * sum(logits)`` (attached to the graph) on a rank without any.

    Args:
        loss (nn.Module): The loss, called as ``loss(logits, labels)``.
        logits (Tensor): The logits.
        labels (Tensor): The labels.
        labelled (Tensor, optional): The clips counted; None: every clip.

    Returns:
        Tensor: The loss, a scalar.

    Shapes:
        logits (N, C); labels (N, ); labelled (N, ) bool or None.
    """
    scale = labelled_scale(labelled)
    if scale is None:
        return loss(logits, labels)
    if not bool(labelled.any()):
        return logits.sum() * 0
    return loss(logits[labelled], labels[labelled]) * scale


def cosine_matrix(x: Tensor, y: Tensor) -> Tensor:
    """``cos(x_i, y_j)`` of this rank's ``x`` against every rank's ``y``
    (gathered, as a constant: CSC's temperature carries no gradient).

    Args:
        x (Tensor): This rank's rows.
        y (Tensor): This rank's columns, gathered from every rank.

    Returns:
        Tensor: The cosines.

    Shapes:
        x (N, D) and y (N, D) on this rank; output (N, B), B clips in the
        whole batch (B = N in one process).
    """
    columns, _ = gather_batch(y.detach())
    return F.normalize(x, dim=1) @ F.normalize(columns, dim=1).t()


@torch.no_grad()
def tau_stats(tau: Union[float, Tensor], like: Tensor) -> Dict[str, Tensor]:
    """The range of CSC's temperature, to log.

    Args:
        tau (float | Tensor): The temperature (a float when it is fixed).
        like (Tensor): A tensor whose dtype and device the statistics take.

    Returns:
        dict[str, Tensor]: ``csc_tau_mean``, ``csc_tau_min``,
        ``csc_tau_max``.
    """
    tau = torch.as_tensor(tau, dtype=like.dtype, device=like.device)
    return dict(
        csc_tau_mean=tau.mean(), csc_tau_min=tau.min(), csc_tau_max=tau.max())
