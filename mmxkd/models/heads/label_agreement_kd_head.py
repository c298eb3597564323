# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs

WEIGHTINGS = ('mask', 'wsld')


@MODELS.register_module()
class LabelAgreementKDHead(BaseDistillHead):
    """Hinton KD weighted, on the labelled clips, by how far the teacher
    agrees with the label; every unlabelled clip keeps weight 1 (nothing
    tells it apart).

    - ``'mask'``: weight 1 where the teacher's class is the label, else 0;
    - ``'wsld'``: the weighted soft label distillation weight of Zhou et al.
      2021 (``1 - exp(-CE_s / CE_t)`` with the student's and the teacher's
      cross-entropy against the label), low where the teacher errs more
      than the student.

    ``clip_trust['trust']`` is the weight (1 on unlabelled clips),
    ``clip_kept`` the clips of weight >= 0.5. Logged: ``kd_kept``.

    Args:
        loss_kd (dict): :class:`KDLoss`. Defaults to ``dict(type='KDLoss')``.
        weighting (str): ``'mask'`` or ``'wsld'``. Defaults to ``'mask'``.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        student and teacher logits (N, C); labels (N, ), -1 on unlabelled
        clips.
    """

    uses_teacher_logits = True

    def __init__(self,
                 loss_kd: dict = dict(type='KDLoss'),
                 weighting: str = 'mask',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if weighting not in WEIGHTINGS:
            raise ValueError('LabelAgreementKDHead: weighting must be one of '
                             f'{WEIGHTINGS}, got {weighting!r}')
        self.loss_kd = self.build_part(loss_kd)
        self.weighting = weighting

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        s, t = inputs.logits, inputs.teacher_logits[self.teacher]
        labelled = inputs.labelled
        with torch.no_grad():
            if self.weighting == 'mask':
                on_label = inputs.label_agreement(self.teacher).float()
            else:
                target = inputs.labels.clamp(min=0)
                ce_s = F.cross_entropy(s.detach(), target, reduction='none')
                ce_t = F.cross_entropy(t, target, reduction='none')
                on_label = 1 - torch.exp(-ce_s / ce_t.clamp(min=1e-7))
            weight = torch.where(labelled, on_label, torch.ones_like(on_label))
        self.clip_trust = dict(trust=weight)
        self.clip_kept = weight >= 0.5
        return dict(
            loss_kd=self.loss_kd(s, t, weight),
            kd_kept=self.clip_kept.float().mean())
