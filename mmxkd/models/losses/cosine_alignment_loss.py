# Copyright (c) mmxkd contributors. All rights reserved.
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from .projector import ProjectedFeatureLoss


@MODELS.register_module()
class CosineAlignmentLoss(ProjectedFeatureLoss):
    """Plain cosine feature alignment: ``L = mean(1 - cos(P v, a))``.

    The baseline that distils every clip's teacher feature as it is, relevant
    or not, which MNF + CSC is meant to improve on. ``P`` is a learned linear
    map when the sizes differ, else the identity. Arguments and shapes as
    :class:`ProjectedFeatureLoss`.
    """

    def distance(self, projected: Tensor, teacher_feat: Tensor) -> Tensor:
        return (1 - F.cosine_similarity(projected, teacher_feat, dim=1)).mean()
