# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

import torch.nn as nn
from torch import Tensor

from mmxkd.registry import MODELS
from ..losses.projector import linear_projector


@MODELS.register_module()
class TeacherProjector(nn.Module):
    """The raw teacher feature in the student's space, in place of the MNF.

    For the "CSC without MNF" ablation: CSC then contrasts the student with
    the unfiltered teacher feature (``z = a_hat = P a``), with ``P`` a learned
    linear map when the sizes differ and the identity otherwise.

    Args:
        teacher_dim (int): Teacher feature size ``Da``.
        student_dim (int): Student feature size ``Dv``.

    Shapes:
        - teacher_feat ``a``: (N, Da)
        - student_tokens: (N, L, Dv), unused (the MNF's signature)
        - returns a dict with ``teacher`` ``filtered_teacher`` and
          ``calibrated``, all ``P a`` (N, Dv).
    """

    def __init__(self, teacher_dim: int, student_dim: int) -> None:
        super().__init__()
        self.teacher_dim = teacher_dim
        self.projector = linear_projector(teacher_dim, student_dim)

    def forward(self, teacher_feat: Tensor,
                student_tokens: Tensor) -> Dict[str, Tensor]:
        if teacher_feat.dim() != 2 or teacher_feat.size(1) != self.teacher_dim:
            raise ValueError(f'teacher_feat must be (N, {self.teacher_dim}), '
                             f'got {tuple(teacher_feat.shape)}')
        projected = self.projector(teacher_feat)
        return dict(
            teacher=projected, filtered_teacher=projected, calibrated=projected)
