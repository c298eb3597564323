# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

from torch import Tensor

from mmxkd.registry import MODELS
from ..losses.projector import linear_projector
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs
from .mnf_csc_head import cosine_matrix, tau_stats


@MODELS.register_module()
class CSCHead(BaseDistillHead):
    """CSC on the raw teacher feature, without the MNF (an ablation of
    MNF + CSC): ``z = a_hat = P a`` with ``P`` a learned linear map when
    the sizes differ (the identity otherwise), the temperature from
    ``cos(v, P a)``. CSC trains the student and ``P``. In distributed
    training its columns are the whole batch, gathered from every rank
    (:class:`CSCLoss`).

    Args:
        loss_csc (dict): :class:`CSCLoss`. Defaults to
            ``dict(type='CSCLoss')``.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        v (N, Dv); a (N, Da), a constant; labels (N, ) or (N, C); N clips
        on this rank.
    """

    def __init__(self, loss_csc: dict = dict(type='CSCLoss'),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.projector = linear_projector(self.teacher_dim, self.student_dim)
        self.loss_csc = self.build_part(loss_csc)

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        v = inputs.pooled
        projected = self.projector(inputs.teacher_feats[self.teacher])
        cos = cosine_matrix(v, projected)
        losses = dict(
            loss_csc=self.loss_csc(v, projected, inputs.labels, cos))
        losses.update(tau_stats(self.loss_csc.temperature(cos), v))
        return losses
