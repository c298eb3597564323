# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs


@MODELS.register_module()
class ConfidentKDHead(BaseDistillHead):
    """Hinton KD on the clips where the teacher is confident (FixMatch-style
    threshold on its largest class probability, at temperature 1).

    A negative control for irrelevant sound: clean speech of another word
    leaves the teacher as confident as the clip's own, so the threshold
    should not find those clips.

    ``clip_trust['trust']`` is the teacher's largest probability,
    ``clip_kept`` the clips at or above ``threshold``. Logged: ``kd_kept``.

    Args:
        loss_kd (dict): :class:`KDLoss`. Defaults to ``dict(type='KDLoss')``.
        threshold (float): Smallest largest-probability kept, in [0, 1].
            Defaults to 0.95.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        student and teacher logits (N, C).
    """

    uses_teacher_logits = True

    def __init__(self,
                 loss_kd: dict = dict(type='KDLoss'),
                 threshold: float = 0.95,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if not 0 <= threshold <= 1:
            raise ValueError('ConfidentKDHead: threshold must be in [0, 1], '
                             f'got {threshold}')
        self.loss_kd = self.build_part(loss_kd)
        self.threshold = threshold

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        s, t = inputs.logits, inputs.teacher_logits[self.teacher]
        with torch.no_grad():
            confidence = F.softmax(t.float(), dim=1).max(dim=1).values
        kept = confidence >= self.threshold
        self.clip_trust = dict(trust=confidence)
        self.clip_kept = kept
        return dict(
            loss_kd=self.loss_kd(s, t, kept.to(s.dtype)),
            kd_kept=kept.float().mean())
