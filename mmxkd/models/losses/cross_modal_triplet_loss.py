# Copyright (c) mmxkd contributors. All rights reserved.
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS


@MODELS.register_module()
class CrossModalTripletLoss(nn.Module):
    """Triplet loss on cosine similarity.

    ``mean(max(0, cos(anchor, negative) - cos(anchor, positive) + margin))``;
    in MNF: anchor = student ``v``, positive = filtered teacher ``a_hat``,
    negative = raw teacher ``a``, so the gate must bring the teacher closer
    to what the video shows.

    Args:
        margin (float): Defaults to 0.2.
        loss_weight (float): Weight of the loss. Defaults to 1.0.

    Shapes:
        - anchor, positive, negative: (N, D)
        - output: a scalar.
    """

    def __init__(self, margin: float = 0.2, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.margin = margin
        self.loss_weight = loss_weight

    def forward(self, anchor: Tensor, positive: Tensor,
                negative: Tensor) -> Tensor:
        gap = (F.cosine_similarity(anchor, negative, dim=1) -
               F.cosine_similarity(anchor, positive, dim=1) + self.margin)
        return self.loss_weight * gap.clamp(min=0).mean()
