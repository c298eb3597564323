# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from ..utils import gather_batch, labelled_share

OWN_CLIP = ('positive', 'excluded')


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

    ``own_clip`` says what the anchor's own calibrated feature ``z_i`` is:
    ``'positive'`` (the reference: the diagonal always counts) or
    ``'excluded'`` (our deviation: neither a positive nor in the softmax,
    as supervised contrastive learning leaves out the anchor itself). With
    the diagonal as a positive and few same-class clips in a batch (8 clips
    of 51 classes), CSC is solved by matching ``v_i`` to ``z_i``, a function
    of the same clip's tokens, without the labels; excluded, only other
    clips of the class pull, and an anchor without one is left out of the
    mean (use batches of same-class groups:
    :class:`~mmxkd.datasets.ClassBalancedSampler`).

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
        own_clip (str): ``'positive'`` or ``'excluded'`` (see above).
            Defaults to ``'positive'``.

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
                 loss_weight: float = 1.0,
                 own_clip: str = 'positive') -> None:
        super().__init__()
        if threshold <= 0:
            raise ValueError(f'threshold must be > 0, got {threshold}')
        if own_clip not in OWN_CLIP:
            raise ValueError(
                f'CSCLoss: own_clip must be one of {OWN_CLIP}, got {own_clip!r}')
        self.own_clip = own_clip
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
        excluded = self.own_clip == 'excluded'
        if excluded:  # each anchor's own column
            own = torch.zeros_like(positives, dtype=torch.bool)
            own[:, rows] = torch.eye(num, dtype=torch.bool, device=own.device)
        # this rank's anchors that count (None: every one) and their share of
        # the whole batch's (labelled_share)
        anchors, scale = None, None
        if labelled is not None:
            all_labelled, scale = labelled_share(labelled)
            if not bool(all_labelled.any()):
                return self.loss_weight * logits.sum() * 0
            if bool(all_labelled.all()):
                scale = None
            else:
                logits = logits[labelled][:, all_labelled]
                positives = positives[labelled][:, all_labelled]
                if excluded:
                    own = own[labelled][:, all_labelled]
                anchors = labelled
        if excluded:
            logits = logits.masked_fill(own, float('-inf'))
            positives = positives.masked_fill(own, 0)
            with_partner = positives.sum(1) > 0
            if anchors is None:
                anchors = with_partner
            else:
                anchors = anchors.clone()
                anchors[labelled] = with_partner
            _, scale = labelled_share(anchors)
            positives = positives[with_partner]
            logits = logits[with_partner]
            own = own[with_partner]
        log_prob = F.log_softmax(logits, dim=1)
        if excluded:  # -inf there, times 0
            log_prob = log_prob.masked_fill(own, 0)
        positives = positives.to(log_prob.dtype)
        loss = -(log_prob * positives).sum(1) / positives.sum(1)
        if anchors is None:
            return self.loss_weight * loss.mean()
        # the mean over the whole batch's counted anchors; 0 on a rank
        # without any
        if scale == 0:
            return self.loss_weight * logits.sum() * 0
        return self.loss_weight * loss.sum() * (scale / max(
            int(anchors.sum()), 1))

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
