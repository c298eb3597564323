# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs


@MODELS.register_module()
class LogitKDHead(BaseDistillHead):
    """Logit distillation (Hinton et al. 2015): the student's logits against
    the teacher classifier's logits for the teacher feature.

    The teacher needs its classifier (``PrecomputedTeacher(classifier=...)``
    or a ``NetworkTeacher`` with an MMAction2 head); the distiller checks it
    when it is built. It needs no labels: it uses every clip of a
    label-scarce batch, labelled or not (``inputs.labelled`` is ignored).

    It weighs no clip, but reports per clip (``clip_trust``) what a filter
    on the student's agreement would see: ``student_agreement``, the
    student's probability of the teacher's class.

    Args:
        loss_kd (dict): :class:`KDLoss`. Defaults to ``dict(type='KDLoss')``.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        student and teacher logits (N, C), the same classes.
    """

    uses_teacher_logits = True

    def __init__(self, loss_kd: dict = dict(type='KDLoss'), **kwargs) -> None:
        super().__init__(**kwargs)
        self.loss_kd = self.build_part(loss_kd)

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        s, t = inputs.logits, inputs.teacher_logits[self.teacher]
        with torch.no_grad():
            self.clip_trust = dict(
                student_agreement=F.softmax(s.float(), dim=1).gather(
                    1, t.argmax(dim=1, keepdim=True)).squeeze(1))
        return dict(loss_kd=self.loss_kd(s, t))
