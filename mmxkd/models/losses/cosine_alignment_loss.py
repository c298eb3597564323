# Copyright (c) mmxkd contributors. All rights reserved.
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from .projector import linear_projector


@MODELS.register_module()
class CosineAlignmentLoss(nn.Module):
    """Plain cosine feature alignment: ``L = mean(1 - cos(P v, a))``.

    The baseline that distils every clip's teacher feature as it is, relevant
    or not, which MNF + CSC is meant to improve on. ``P`` is a learned linear
    map when the sizes differ, else the identity.

    Args:
        student_dim (int): Student feature size ``Dv``.
        teacher_dim (int): Teacher feature size ``Da``.
        loss_weight (float): Weight of the loss. Defaults to 1.0.

    Shapes:
        - student_feat ``v``: (N, Dv)
        - teacher_feat ``a``: (N, Da), treated as a constant
        - output: a scalar.
    """

    def __init__(self,
                 student_dim: int,
                 teacher_dim: int,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.projector = linear_projector(student_dim, teacher_dim)
        self.loss_weight = loss_weight

    def forward(self, student_feat: Tensor, teacher_feat: Tensor) -> Tensor:
        cos = F.cosine_similarity(
            self.projector(student_feat), teacher_feat.detach(), dim=1)
        return self.loss_weight * (1 - cos).mean()
