# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor

from ..utils import gather_batch


class TrustBank(nn.Module):
    """Per-clip trust in the teacher, smoothed over the epochs, and the
    counts a trust head needs to pick its clips: how many clips it has seen
    and how often the teacher contradicted a label.

    Every update gathers the whole batch from every rank, so each rank holds
    the same bank (and a run of 2 x 4 the bank of 1 x 8). The bank lives in
    buffers, so checkpoints carry it and ``--resume`` continues it.

    Args:
        momentum (float): Weight of a clip's previous value when it is seen
            again: ``b <- m * b + (1 - m) * score``; its first score is
            taken as it is. Defaults to 0.5.

    Shapes:
        sample_idx, scores, labelled: (N, ) on this rank; returns (N, ).
    """

    def __init__(self, momentum: float = 0.5) -> None:
        super().__init__()
        if not 0 <= momentum < 1:
            raise ValueError(f'momentum must be in [0, 1), got {momentum}')
        self.momentum = momentum
        self.register_buffer('values', torch.empty(0))
        self.register_buffer('labelled', torch.empty(0, dtype=torch.bool))
        self.register_buffer('seen', torch.zeros((), dtype=torch.long))
        self.register_buffer('checked', torch.zeros((), dtype=torch.long))
        self.register_buffer('contradicted', torch.zeros((),
                                                         dtype=torch.long))

    @property
    def num_samples(self) -> int:
        return self.values.size(0)

    def set_num_samples(self, num_samples: int) -> None:
        """Size the bank for a training set (NaN: not seen yet); kept when
        it already has that size."""
        if num_samples == self.num_samples:
            return
        # in place, so that wrappers holding the buffers (DDP) see them
        self.values.data = torch.full((num_samples, ), float('nan'),
                                      device=self.values.device)
        self.labelled.data = torch.zeros(
            num_samples, dtype=torch.bool, device=self.labelled.device)

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args,
                              **kwargs) -> None:
        saved = state_dict.get(prefix + 'values')
        if saved is not None and saved.size(0) != self.num_samples:
            self.set_num_samples(saved.size(0))
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    @torch.no_grad()
    def update(self, sample_idx: Tensor, scores: Tensor,
               labelled: Tensor, contradicted: Tensor) -> Tensor:
        """Move the batch's clips towards their new scores and count them.

        Args:
            sample_idx (Tensor): The clips' indices in the training set.
            scores (Tensor): Their new scores.
            labelled (Tensor): bool, the clips that keep their label.
            contradicted (Tensor): bool, the labelled clips whose teacher
                contradicts the label.

        Returns:
            The smoothed scores of this rank's clips.
        """
        if self.num_samples == 0:
            raise RuntimeError(
                'TrustBank: the bank has no size; the training set\'s size '
                'reaches it through model.set_train_size (TrainSetSizeHook '
                'in custom_hooks)')
        idx = sample_idx.long().view(-1)
        if bool((idx < 0).any()) or bool((idx >= self.num_samples).any()):
            raise ValueError(
                f'TrustBank: sample_idx {idx.tolist()} outside the '
                f'{self.num_samples} clips of the training set')
        all_idx, rows = gather_batch(idx)
        all_scores, _ = gather_batch(scores.detach().float())
        all_labelled, _ = gather_batch(labelled.long())
        all_contradicted, _ = gather_batch((contradicted & labelled).long())
        old = self.values[all_idx]
        moved = torch.where(
            torch.isnan(old), all_scores,
            self.momentum * old + (1 - self.momentum) * all_scores)
        self.values.index_copy_(0, all_idx, moved)
        self.labelled.index_copy_(0, all_idx, all_labelled.bool())
        self.seen += all_idx.numel()
        self.checked += int(all_labelled.sum())
        self.contradicted += int(all_contradicted.sum())
        return moved[rows]

    def contradiction_rate(self) -> Optional[float]:
        """The share of labelled clips whose teacher contradicted the label,
        over every update so far; None before any labelled clip."""
        if int(self.checked) == 0:
            return None
        return int(self.contradicted) / int(self.checked)

    def unlabelled_quantile(self, q: float) -> Optional[float]:
        """The ``q`` quantile of the scores of the unlabelled clips seen so
        far; None before any."""
        values = self.values[~self.labelled & ~torch.isnan(self.values)]
        if values.numel() == 0:
            return None
        return float(torch.quantile(values, min(max(q, 0.0), 1.0)))
