# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Optional, Union

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from ..utils import gather_batch, labelled_share


@MODELS.register_module()
class CSCLoss(nn.Module):
    """Contrastive Semantic Calibration loss of Xia et al. 2023.

    With ``v`` and ``z`` L2-normalised, ``c_ij = v_i . z_j``,
    ``P_ij = softmax_j(c_ij / tau_ij)`` and positives ``M_ij = [y_i == y_j]``:
    ``L = mean_i(sum_j -log P_ij M_ij / sum_j M_ij)``. The temperature is
    ``tau_ij = max(cos_ij, 0) + t`` with ``cos_ij`` the (detached)
    teacher-student cosine when ``adaptive_temperature``, else ``t``. The
    clamp keeps ``tau`` positive for features that can be negative and
    changes nothing for the reference's post-ReLU features.

    For multi-label (tagging) targets, ``M_ij`` is the Jaccard overlap of the
    two label sets (our extension; it equals ``[y_i == y_j]`` for one label
    per clip), so clips sharing more tags pull harder.

    In distributed training the columns ``j`` run over the whole batch:
    ``z`` (with gradients) and the labels are gathered from every rank, each
    rank computes the rows of its own anchors ``i`` and returns their mean.
    With DDP's gradient averaging this is the loss and gradient of one
    process holding the whole batch (:func:`mmxkd.models.utils.gather_batch`).

    With a ``labelled`` mask, CSC skips the unlabelled clips: it is the loss
    of the labelled clips alone (the anchors ``i`` and the columns ``j``
    both run over the labelled clips of the whole batch), 0 (attached to
    the graph) when no clip of the whole batch is labelled. Where every
    clip is labelled it equals the loss without a mask.

    Args:
        threshold (float): The base temperature ``t``. Defaults to 0.07.
        adaptive_temperature (bool): Per-pair temperature from the
            teacher-student cosine. Defaults to True.
        loss_weight (float): Weight of the loss. Defaults to 1.0.

    Shapes (N clips on this rank, B in the whole batch; B = N in one
    process):
        - student_feat ``v``: (N, D)
        - calibrated_feat ``z``: (N, D)
        - labels: (N, ) class indices, or (N, C) multi-hot
        - teacher_student_cos: (N, B), ``cos(v_i, a_hat_j)`` of this rank's
          ``v`` against the gathered ``a_hat``; required when
          ``adaptive_temperature``, ignored otherwise.
        - labelled: (N, ) bool, the clips whose label counts; optional.
        - output: a scalar, the mean over this rank's anchors.
    """

    def __init__(self,
                 threshold: float = 0.07,
                 adaptive_temperature: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if threshold <= 0:
            raise ValueError(f'threshold must be > 0, got {threshold}')
        self.threshold = threshold
        self.adaptive_temperature = adaptive_temperature
        self.loss_weight = loss_weight

    def forward(self,
                student_feat: Tensor,
                calibrated_feat: Tensor,
                labels: Tensor,
                teacher_student_cos: Optional[Tensor] = None,
                labelled: Optional[Tensor] = None) -> Tensor:
        num = student_feat.size(0)
        if calibrated_feat.shape != student_feat.shape:
            raise ValueError('student_feat and calibrated_feat must have the '
                             f'same shape, got {tuple(student_feat.shape)} '
                             f'and {tuple(calibrated_feat.shape)}')
        columns, rows = gather_batch(calibrated_feat)
        all_labels, _ = gather_batch(labels)
        total = columns.size(0)
        similarity = F.normalize(student_feat, dim=1) @ F.normalize(
            columns, dim=1).t()
        if self.adaptive_temperature and (teacher_student_cos is None
                                          or teacher_student_cos.shape !=
                                          (num, total)):
            raise ValueError(
                'adaptive_temperature needs teacher_student_cos of shape '
                f'({num}, {total}), got '
                f'{None if teacher_student_cos is None else tuple(teacher_student_cos.shape)}')  # noqa: E501
        logits = similarity / self.temperature(teacher_student_cos)
        positives = self.positive_weights(all_labels)[rows]
        scale = None
        if labelled is not None:
            all_labelled, scale = labelled_share(labelled)
            if bool(all_labelled.all()):
                scale = None
            elif not bool(all_labelled.any()):
                return self.loss_weight * logits.sum() * 0
            else:
                logits = logits[labelled][:, all_labelled]
                positives = positives[labelled][:, all_labelled]
        log_prob = F.log_softmax(logits, dim=1)
        positives = positives.to(log_prob.dtype)
        loss = -(log_prob * positives).sum(1) / positives.sum(1)
        if scale is None:
            return self.loss_weight * loss.mean()
        # the mean over the whole batch's labelled anchors (see
        # labelled_share); 0 on a rank without any
        return self.loss_weight * loss.sum() * (scale / max(
            int(labelled.sum()), 1))

    def temperature(self,
                    teacher_student_cos: Optional[Tensor]) -> Union[Tensor,
                                                                    float]:
        """``tau_ij = max(cos_ij, 0) + t`` (detached), or ``t`` when the
        temperature is fixed."""
        if not self.adaptive_temperature:
            return self.threshold
        return teacher_student_cos.detach().clamp(min=0) + self.threshold

    @staticmethod
    def positive_weights(labels: Tensor) -> Tensor:
        """``M`` (N, N): label equality, or Jaccard overlap of multi-hot
        labels; the diagonal always counts."""
        if labels.dim() == 1:
            return (labels.view(-1, 1) == labels.view(1, -1)).float()
        tags = (labels > 0).float()
        shared = tags @ tags.t()
        union = tags.sum(1, keepdim=True) + tags.sum(1) - shared
        return (shared / union.clamp(min=1)).fill_diagonal_(1)
