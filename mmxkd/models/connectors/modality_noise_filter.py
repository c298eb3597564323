# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.registry import DefaultScope
from torch import Tensor

from mmxkd.registry import MODELS


@MODELS.register_module()
class ModalityNoiseFilter(nn.Module):
    """Modality Noise Filter (MNF) of Xia et al. 2023, the connector of
    :class:`MNFCSCHead` between the teacher feature and the student's map.

    The video gates the teacher feature, the gated teacher feature queries
    the student's feature map, and the result is calibrated and classified:

    1. ``g = sigmoid(W2 ReLU(BN(W1 [a; v])))``, ``a_hat = g * a``;
    2. ``s = MHA(query=P(a_hat), key=value=V)``;
    3. ``z = ReLU(BN(Linear(s)))``, ``logits = Linear(z)``.

    ``P`` is the identity when ``teacher_dim == student_dim`` (the
    reference's setting) and a linear projection otherwise, so that ``z``,
    the filtered and the raw teacher feature all live in the student's space,
    where CSC and the triplet loss compare them with ``v``. The projection
    has no bias: with one, ``P(g * a)`` and ``P(a)`` share a constant that
    the triplet can use instead of the gate (measured on GRID: triplet 0
    from epoch 2, gate stuck at 0.50 +- 0.08; ``docs/en/method.md``,
    "Measured facts that a configuration must respect").

    The attention needs something to choose from: a student map of fewer
    than 2 tokens (``L = T * H * W`` of its last stage) is refused, because
    attention over one token ignores its query and the teacher never
    reaches ``z``.

    Args:
        teacher_dim (int): Teacher feature size ``Da``.
        student_dim (int): Channels ``Dv`` of the student's feature map.
        num_classes (int): Classes of the MNF classifier.
        num_heads (int): Attention heads; ``student_dim`` must be divisible by
            it. Defaults to 2.
        gate_hidden_dim (int, optional): Hidden size of the gate. Defaults to
            ``teacher_dim // 2``.
        norm_cfg (dict): The two BatchNorm layers (``gate.1``,
            ``calibration.1``), built by ``mmcv.cnn.build_norm_layer``.
            ``dict(type='GlobalBN1d')`` (the default,
            :class:`GlobalBatchNorm1d`) normalises with the whole batch over
            the ranks on any backend, CPU/gloo included, and is
            ``BatchNorm1d`` in one process; ``dict(type='BN1d')`` with each
            process's batch; ``dict(type='SyncBN')`` torch's GPU version.
            All keep the same state-dict keys.
        teacher_proj_bias (bool): Give ``P`` a bias, the loophole above;
            only to reproduce the measurement. Defaults to False.

    Shapes:
        - teacher_feat ``a``: (N, Da)
        - student_tokens ``V``: (N, L, Dv), L >= 2
        - token_mask (optional): (N, L) bool, True for valid tokens; padded
          tokens get no attention and are left out of the pooled ``v``.
        - returns a dict with ``calibrated`` z (N, Dv), ``filtered_teacher``
          P(a_hat) (N, Dv), ``teacher`` P(a) (N, Dv), ``gate`` g (N, Da),
          ``attention`` over the tokens, averaged over heads (N, L), and
          ``logits`` (N, num_classes).
    """

    def __init__(self,
                 teacher_dim: int,
                 student_dim: int,
                 num_classes: int,
                 num_heads: int = 2,
                 gate_hidden_dim: Optional[int] = None,
                 norm_cfg: dict = dict(type='GlobalBN1d'),
                 teacher_proj_bias: bool = False) -> None:
        super().__init__()
        if student_dim % num_heads:
            raise ValueError(f'student_dim ({student_dim}) must be divisible '
                             f'by num_heads ({num_heads})')
        hidden = gate_hidden_dim or teacher_dim // 2
        self.teacher_dim = teacher_dim
        self.student_dim = student_dim
        self.gate = nn.Sequential(
            nn.Linear(teacher_dim + student_dim, hidden),
            _norm_layer(norm_cfg, hidden), nn.ReLU(inplace=True),
            nn.Linear(hidden, teacher_dim), nn.Sigmoid())
        self.teacher_proj = (
            nn.Identity() if teacher_dim == student_dim else nn.Linear(
                teacher_dim, student_dim, bias=teacher_proj_bias))
        self.attention = nn.MultiheadAttention(
            student_dim, num_heads, batch_first=True)
        self.calibration = nn.Sequential(
            nn.Linear(student_dim, student_dim),
            _norm_layer(norm_cfg, student_dim), nn.ReLU(inplace=True))
        self.classifier = nn.Linear(student_dim, num_classes)

    @property
    def gate_weights(self) -> List[Tensor]:
        """Weight matrices of the gate's linear layers (W1, W2)."""
        return [m.weight for m in self.gate if isinstance(m, nn.Linear)]

    def forward(self,
                teacher_feat: Tensor,
                student_tokens: Tensor,
                token_mask: Optional[Tensor] = None) -> Dict[str, Tensor]:
        if teacher_feat.dim() != 2 or teacher_feat.size(1) != self.teacher_dim:
            raise ValueError(
                f'teacher_feat must be (N, {self.teacher_dim}), got '
                f'{tuple(teacher_feat.shape)}')
        if (student_tokens.dim() != 3
                or student_tokens.size(2) != self.student_dim):
            raise ValueError(
                f'student_tokens must be (N, L, {self.student_dim}), got '
                f'{tuple(student_tokens.shape)}')
        if student_tokens.size(1) < 2:
            raise ValueError(
                'ModalityNoiseFilter: the student gives '
                f'{student_tokens.size(1)} token per clip (tokens '
                f'{tuple(student_tokens.shape)} = (N, L, Dv)); attention '
                'over one token ignores the teacher. Give the student a '
                'last stage of L = T*H*W >= 2 (model.student.backbone: '
                'spatial_strides / temporal_strides, e.g. '
                'configs/_base_/models/r2plus1d_tiny_tokens.py; or larger '
                'clips: clip_len of SampleFrames, scale of Resize in the '
                'pipeline)')
        if token_mask is None:
            pooled = student_tokens.mean(dim=1)
            padding = None
        else:
            if token_mask.shape != student_tokens.shape[:2] or not bool(
                    token_mask.any(dim=1).all()):
                raise ValueError(
                    'token_mask must be (N, L) = '
                    f'{tuple(student_tokens.shape[:2])} with at least one '
                    f'valid token per clip, got {tuple(token_mask.shape)}')
            weights = token_mask.to(student_tokens.dtype).unsqueeze(2)
            pooled = (student_tokens * weights).sum(1) / weights.sum(1)
            padding = ~token_mask.bool()
        gate = self.gate(torch.cat([teacher_feat, pooled], dim=1))
        filtered = self.teacher_proj(gate * teacher_feat)
        attended, attention = self.attention(
            filtered.unsqueeze(1),
            student_tokens,
            student_tokens,
            key_padding_mask=padding)
        calibrated = self.calibration(attended.squeeze(1))
        return dict(
            calibrated=calibrated,
            filtered_teacher=filtered,
            teacher=self.teacher_proj(teacher_feat),
            gate=gate,
            attention=attention.squeeze(1),
            logits=self.classifier(calibrated))


def _norm_layer(norm_cfg: dict, num_features: int) -> nn.Module:
    """``build_norm_layer`` in the mmxkd scope, which holds ``GlobalBN1d``
    and sees MMEngine's and MMCV's norm layers, in any caller's scope."""
    with DefaultScope.overwrite_default_scope('mmxkd'):
        return build_norm_layer(norm_cfg, num_features)[1]
