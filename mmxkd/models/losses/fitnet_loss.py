# Copyright (c) mmxkd contributors. All rights reserved.
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from .projector import ProjectedFeatureLoss


@MODELS.register_module()
class FitNetLoss(ProjectedFeatureLoss):
    """Feature regression of FitNets (Romero et al. 2015), on clip features.

    A learned regressor ``W`` (``projector``, always learned) maps the
    student feature to the teacher's space and ``L = mean((W v - a)^2)``.
    FitNets regress an intermediate feature map; across modalities the
    teacher gives one vector per clip, so the hint is the pooled student
    feature. Arguments and shapes as :class:`ProjectedFeatureLoss`.
    """

    always_project = True

    def distance(self, projected: Tensor, teacher_feat: Tensor) -> Tensor:
        return F.mse_loss(projected, teacher_feat)
