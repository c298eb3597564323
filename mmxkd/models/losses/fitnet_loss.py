# Copyright (c) mmxkd contributors. All rights reserved.
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from .projector import linear_projector


@MODELS.register_module()
class FitNetLoss(nn.Module):
    """Feature regression of FitNets (Romero et al. 2015), on clip features.

    A learned regressor ``W`` maps the student feature to the teacher's
    space and ``L = mean((W v - a)^2)``. FitNets regress an intermediate
    feature map; across modalities the teacher gives one vector per clip, so
    the hint is the pooled student feature. The regressor trains with the
    student and is dropped with the distiller.

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
        self.regressor = linear_projector(
            student_dim, teacher_dim, always=True)
        self.loss_weight = loss_weight

    def forward(self, student_feat: Tensor, teacher_feat: Tensor) -> Tensor:
        return self.loss_weight * F.mse_loss(
            self.regressor(student_feat), teacher_feat.detach())
