# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs


@MODELS.register_module()
class GCEKDHead(BaseDistillHead):
    """A robust-loss baseline: the generalised cross-entropy of Zhang and
    Sabuncu 2018 between the student and the teacher's class (argmax of its
    logits), ``L_q = (1 - p_s(y_t) ^ q) / q``, averaged over every clip.

    Its gradient is the cross-entropy's weighted by ``p_s(y_t) ^ q``, so
    clips whose teacher class the student finds unlikely (irrelevant sound,
    once the student knows) count less; ``q -> 0`` is the cross-entropy,
    ``q = 1`` the mean absolute error.

    ``clip_trust['trust']`` is that implicit weight ``p_s(y_t) ^ q``;
    ``clip_kept`` is None (no clip is dropped).

    Args:
        q (float): In (0, 1]. Defaults to 0.7 (the paper's).
        loss_weight (float): Defaults to 1.0.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        student and teacher logits (N, C).
    """

    uses_teacher_logits = True

    def __init__(self, q: float = 0.7, loss_weight: float = 1.0,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if not 0 < q <= 1:
            raise ValueError(f'GCEKDHead: q must be in (0, 1], got {q}')
        self.q = q
        self.loss_weight = loss_weight

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        s, t = inputs.logits, inputs.teacher_logits[self.teacher]
        target = t.argmax(dim=1, keepdim=True)
        p = F.softmax(s, dim=1).gather(1, target).squeeze(1)
        loss = (1 - p.clamp(min=1e-12)**self.q) / self.q
        with torch.no_grad():
            self.clip_trust = dict(trust=p.detach()**self.q)
        return dict(loss_gce=self.loss_weight * loss.mean())
