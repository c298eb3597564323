# Copyright (c) mmxkd contributors. All rights reserved.
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
    student keeps its own cross-entropy (``loss_cls_v``) beside it.

    Args:
        temperature (float): Softening temperature ``T``. Defaults to 4.0.
        loss_weight (float): Weight of the loss. Defaults to 1.0.

    Shapes:
        - student_logits ``s``: (N, C)
        - teacher_logits ``t``: (N, C), treated as constants
        - output: a scalar.
    """

    def __init__(self, temperature: float = 4.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight

    def forward(self, student_logits: Tensor, teacher_logits: Tensor) -> Tensor:
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
            reduction='batchmean')
        return self.loss_weight * t * t * kl
