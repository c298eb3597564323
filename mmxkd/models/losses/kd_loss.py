# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Optional

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS


@MODELS.register_module()
class KDLoss(nn.Module):
    """Logit distillation of Hinton et al. 2015 ("Distilling the Knowledge in
    a Neural Network").

    ``L = T^2 * KL(softmax(t / T) || softmax(s / T))``, averaged over the
    batch; the ``T^2`` keeps the gradient scale independent of ``T``. The
    student keeps its own cross-entropy (``loss_cls_v``) beside it. With a
    per-clip ``weight`` (how far each clip's teacher is trusted) the loss is
    ``sum_i w_i L_i / N``: a clip of weight 0 teaches nothing, and the
    others keep the weight they have in plain KD.

    Args:
        temperature (float): Softening temperature ``T``. Defaults to 4.0.
        loss_weight (float): Weight of the loss. Defaults to 1.0.

    Shapes:
        - student_logits ``s``: (N, C)
        - teacher_logits ``t``: (N, C), treated as constants
        - weight (optional): (N, ), treated as constants
        - output: a scalar; ``per_clip``: (N, ).
    """

    def __init__(self, temperature: float = 4.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight

    def forward(self,
                student_logits: Tensor,
                teacher_logits: Tensor,
                weight: Optional[Tensor] = None) -> Tensor:
        return self.reduce(self.per_clip(student_logits, teacher_logits),
                           weight)

    @staticmethod
    def reduce(per_clip: Tensor, weight: Optional[Tensor] = None) -> Tensor:
        """The loss from :meth:`per_clip`'s values: their mean, or
        ``sum_i w_i L_i / N`` with a weight."""
        if weight is None:
            return per_clip.mean()
        if weight.shape != per_clip.shape:
            raise ValueError(
                f'KDLoss: weight must be (N, ) = {tuple(per_clip.shape)}, '
                f'got {tuple(weight.shape)}')
        return (per_clip * weight.detach()).sum() / per_clip.numel()

    def per_clip(self, student_logits: Tensor,
                 teacher_logits: Tensor) -> Tensor:
        """The weighted loss of each clip, ``loss_weight * T^2 * KL_i``."""
        if student_logits.shape != teacher_logits.shape:
            raise ValueError(
                'student and teacher logits must have the same shape (the '
                'same classes), got '
                f'{tuple(student_logits.shape)} and '
                f'{tuple(teacher_logits.shape)}')
        t = self.temperature
        log_p_student = F.log_softmax(student_logits / t, dim=1)
        log_p_teacher = F.log_softmax(teacher_logits.detach() / t, dim=1)
        kl = F.kl_div(
            log_p_student, log_p_teacher, log_target=True,
            reduction='none').sum(dim=1)
        return self.loss_weight * t * t * kl
