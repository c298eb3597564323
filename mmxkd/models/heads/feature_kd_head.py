# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

import torch.nn as nn
from torch import Tensor

from mmxkd.registry import MODELS
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs


@MODELS.register_module()
class FeatureKDHead(BaseDistillHead):
    """Feature distillation of the pooled student feature ``v`` onto the raw
    teacher feature ``a``: FitNets' learned regressor (:class:`FitNetLoss`)
    and/or plain cosine alignment (:class:`CosineAlignmentLoss`). It needs
    no labels: it uses every clip of a label-scarce batch, labelled or not
    (``inputs.labelled`` is ignored).

    Each loss is called as ``loss(v, a)`` and logged under its key; its
    ``student_dim`` and ``teacher_dim`` default to the head's, and its
    projector trains with the student (and is dropped with the distiller).

    Args:
        losses (dict[str, dict]): Loss configs by log key, e.g.
            ``dict(loss_fitnet=dict(type='FitNetLoss'))``; a key set to None
            is dropped.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        v (N, Dv); a (N, Da), a constant.
    """

    def __init__(self, losses: Dict[str, dict], **kwargs) -> None:
        super().__init__(**kwargs)
        built = {}
        for name, cfg in losses.items():
            if cfg is None:
                continue
            if 'loss' not in name:
                raise ValueError(f'FeatureKDHead.losses key "{name}" must '
                                 'contain "loss" (it is summed into the '
                                 'training loss under that key)')
            cfg = dict(cfg)
            cfg.setdefault('student_dim', self.student_dim)
            cfg.setdefault('teacher_dim', self.teacher_dim)
            built[name] = self.build_part(cfg)
        if not built:
            raise ValueError('FeatureKDHead needs at least one loss in losses')
        self.losses = nn.ModuleDict(built)

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        a = inputs.teacher_feats[self.teacher]
        return {
            name: loss(inputs.pooled, a)
            for name, loss in self.losses.items()
        }
