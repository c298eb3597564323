# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

from torch import Tensor

from mmxkd.registry import MODELS
from ..losses.projector import linear_projector
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs
from .head_utils import (check_unlabelled, cosine_matrix, head_labels,
                         tau_stats)


@MODELS.register_module()
class CSCHead(BaseDistillHead):
    """CSC on the raw teacher feature, without the MNF (an ablation of
    MNF + CSC): ``z = a_hat = P a`` with ``P`` a learned linear map when
    the sizes differ (the identity otherwise), the temperature from
    ``cos(v, P a)``. CSC trains the student and ``P``. In distributed
    training its columns are the whole batch, gathered from every rank
    (:class:`CSCLoss`).

    Unlabelled clips (``inputs.labelled``), as :class:`MNFCSCHead`'s CSC:
    ``unlabelled='skip'`` computes CSC over the labelled clips alone (0,
    attached to the graph, in a batch without one); ``'teacher'`` gives
    each unlabelled clip the argmax of the teacher classifier's logits as
    its label in CSC's positives (``uses_teacher_logits``: the teacher needs
    its classifier).

    Args:
        loss_csc (dict): :class:`CSCLoss`. Defaults to
            ``dict(type='CSCLoss')``.
        unlabelled (str): ``'skip'`` or ``'teacher'``. Defaults to
            ``'skip'``.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        v (N, Dv); a (N, Da), a constant; labels (N, ) or (N, C), (N, )
        when some clip is unlabelled; labelled (N, ) bool; N clips on this
        rank.
    """

    def __init__(self,
                 loss_csc: dict = dict(type='CSCLoss'),
                 unlabelled: str = 'skip',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.unlabelled = check_unlabelled('CSCHead', unlabelled)
        self.uses_teacher_logits = unlabelled == 'teacher'
        self.projector = linear_projector(self.teacher_dim, self.student_dim)
        self.loss_csc = self.build_part(loss_csc)

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        v = inputs.pooled
        projected = self.projector(inputs.teacher_feats[self.teacher])
        cos = cosine_matrix(v, projected)
        labels, labelled = head_labels(inputs, self.teacher, self.unlabelled)
        losses = dict(
            loss_csc=self.loss_csc(v, projected, labels, cos, labelled))
        losses.update(tau_stats(self.loss_csc.temperature(cos), v))
        return losses
