# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Sequence

import torch.nn as nn
from torch import Tensor

from mmxkd.registry import MODELS


@MODELS.register_module()
class GateSparsityLoss(nn.Module):
    """L1 sparsity on the MNF gate's linear weights.

    For each weight ``W`` (out, in): ``mean_rows(sum_cols |W|)``; the terms of
    all layers are summed (the intent of docs/en/method.md).
    ``last_layer_only=True`` reproduces the reference code, which keeps only
    the last layer's term.

    Args:
        loss_weight (float): Weight of the loss. Defaults to 0.001.
        last_layer_only (bool): Penalise only the last weight. Defaults to
            False.

    Shapes:
        - weights: a sequence of 2-D tensors (out, in).
        - output: a scalar.
    """

    def __init__(self,
                 loss_weight: float = 0.001,
                 last_layer_only: bool = False) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.last_layer_only = last_layer_only

    def forward(self, weights: Sequence[Tensor]) -> Tensor:
        if not weights:
            raise ValueError('GateSparsityLoss needs at least one weight')
        if self.last_layer_only:
            weights = weights[-1:]
        loss = sum(w.abs().sum(dim=1).mean() for w in weights)
        return self.loss_weight * loss
