# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

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
        return dict(loss_kd=self.loss_kd(
            inputs.logits, inputs.teacher_logits[self.teacher]))
