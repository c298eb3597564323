# Copyright (c) mmxkd contributors. All rights reserved.
from abc import ABCMeta, abstractmethod

import torch.nn as nn
from torch import Tensor


def linear_projector(in_dim: int, out_dim: int,
                     always: bool = False) -> nn.Module:
    """A learned ``Linear(in_dim, out_dim)``, or the identity when the sizes
    match and ``always`` is False."""
    if in_dim == out_dim and not always:
        return nn.Identity()
    return nn.Linear(in_dim, out_dim)


class ProjectedFeatureLoss(nn.Module, metaclass=ABCMeta):
    """``L = loss_weight * distance(P v, a)``: the pooled student feature,
    mapped by a learned ``P`` into the teacher's space, against the raw
    teacher feature (a constant). ``P`` trains with the student and is
    dropped with the distiller; it is the identity when the sizes match,
    unless ``always_project``.

    Args:
        student_dim (int): Student feature size ``Dv``.
        teacher_dim (int): Teacher feature size ``Da``.
        loss_weight (float): Weight of the loss. Defaults to 1.0.

    Shapes:
        - student_feat ``v``: (N, Dv)
        - teacher_feat ``a``: (N, Da), treated as a constant
        - output: a scalar.
    """

    #: Learn ``P`` even when ``Dv == Da``.
    always_project: bool = False

    def __init__(self,
                 student_dim: int,
                 teacher_dim: int,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.projector = linear_projector(
            student_dim, teacher_dim, always=self.always_project)
        self.loss_weight = loss_weight

    def forward(self, student_feat: Tensor, teacher_feat: Tensor) -> Tensor:
        return self.loss_weight * self.distance(
            self.projector(student_feat), teacher_feat.detach())

    @abstractmethod
    def distance(self, projected: Tensor, teacher_feat: Tensor) -> Tensor:
        """The batch-averaged distance of (N, Da) and (N, Da)."""
