# Copyright (c) mmxkd contributors. All rights reserved.
import math
from typing import Dict, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from ..utils import buffers_restored
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs
from .head_utils import (check_unlabelled, cosine_matrix, head_labels,
                         labelled_loss, tau_stats)


@MODELS.register_module()
class MNFCSCHead(BaseDistillHead):
    """MNF + CSC of Xia et al. 2023 (``docs/en/method.md``, "MNF (per
    batch)", "Losses" and "Who learns from what").

    Terms, with ``a`` the teacher feature, ``V`` / ``v`` the student's tokens
    / pooled feature and the MNF's ``a_hat`` (filtered teacher), ``z``
    (calibrated feature) and ``p_n`` (its logits):

    - ``loss_csc`` = CSC(v, z, y; tau from cos(v, a_hat)): trains the student
      (through ``v`` and through ``z``, whose attention reads ``V``) and the
      MNF;
    - ``loss_cls_n`` = CE(p_n, y), ``loss_gate`` = L1 on the gate weights,
      ``loss_tri`` = triplet(v; a_hat, a): train the MNF only.

    Routing is exact by construction: the MNF-only terms come from a second
    MNF pass over the detached student (``V.detach()``, ``v.detach()``), so
    no gradient of theirs can reach the student, and that pass leaves the
    MNF's BatchNorm statistics as they were (they move once per step, as in
    the reference's single forward). The MNF pass for CSC is the one that
    moves them. This equals the reference's two-optimizer step.

    In distributed training CSC's columns are the whole batch, gathered
    from every rank (:class:`CSCLoss`), so 2 processes of 4 clips compute
    the loss of 1 of 8. The MNF's BatchNorm layers normalise with the whole
    batch over the ranks with their default ``norm_cfg``
    (:class:`ModalityNoiseFilter`: ``'GlobalBN1d'``).

    ``csc_targets`` names what CSC pulls ``v`` towards: the reference's
    ``('calibrated',)`` (``z``, which the teacher reaches only through the
    attention's query and the temperature), or also ``'filtered_teacher'``
    (``a_hat``: CSC(v, a_hat, y), the filtered teacher as a contrastive
    target, a deviation that the method study measures); each target's CSC
    term is added to ``loss_csc``.

    ``csc_through_tokens=False`` (a deviation the study measures) computes
    the MNF pass for CSC over ``V.detach()``: CSC then trains the student
    through its anchor ``v`` only and the MNF through ``z``, so ``z`` is a
    target that the teacher shaped, not a second path into the student's
    tokens.

    Unlabelled clips (a label-scarce training set, ``inputs.labelled``):
    the gate, the attention, ``loss_gate`` and ``loss_tri`` use every clip
    (they need no label). The two terms that need labels follow
    ``unlabelled``:

    - ``'skip'``: CSC is the loss of the labelled clips alone (anchors and
      positives and the softmax's columns, :class:`CSCLoss`) and
      ``loss_cls_n`` the cross-entropy over the labelled clips; each is 0
      (attached to the graph) in a batch without a labelled clip;
    - ``'teacher'``: an unlabelled clip takes the argmax of the teacher
      classifier's logits as its label, in CSC's positives and in
      ``loss_cls_n``, so every clip counts. It needs the teacher's
      classifier (``uses_teacher_logits``: e.g.
      ``PrecomputedTeacher(classifier=dict(checkpoint=...))``), also when
      every clip is labelled.

    Any term set to None is dropped (an ablation): ``loss_csc=None`` is MNF
    without CSC, ``loss_tri=None`` MNF + CSC without the triplet.

    Logged statistics: ``mnf_gate_mean`` / ``mnf_gate_std`` /
    ``mnf_gate_min`` / ``mnf_gate_max`` (gate values, which
    :class:`MNFHealthHook` watches),
    ``mnf_attn_entropy`` (entropy of the attention over the L tokens,
    divided by ln L: 1 is uniform) and ``csc_tau_mean`` / ``csc_tau_min`` /
    ``csc_tau_max``. Per clip (``clip_trust``, scored against the truth by
    :class:`~mmxkd.engine.hooks.TrustScoreHook`): see
    :func:`mnf_clip_signals`; the MNF weighs no clip, so it has no
    ``'trust'`` of its own.

    Args:
        mnf (dict): The :class:`ModalityNoiseFilter` config; its
            ``teacher_dim``, ``student_dim`` and ``num_classes`` default to
            the head's. Defaults to ``dict(type='ModalityNoiseFilter')``.
        loss_csc (dict, optional): :class:`CSCLoss`.
        loss_cls_n (dict, optional): The MNF classifier's loss.
        loss_gate (dict, optional): :class:`GateSparsityLoss`.
        loss_tri (dict, optional): :class:`CrossModalTripletLoss`.
        csc_targets (Sequence[str]): MNF outputs that CSC contrasts ``v``
            with, of ``'calibrated'`` and ``'filtered_teacher'``.
            Defaults to ``('calibrated',)``.
        unlabelled (str): What the label terms do with unlabelled clips:
            ``'skip'`` or ``'teacher'`` (see above). Defaults to ``'skip'``.
        csc_through_tokens (bool): Whether CSC's gradient reaches the
            student's tokens through ``z`` (the reference) or only its
            pooled ``v``. Defaults to True.
        **kwargs: :class:`BaseDistillHead` arguments (``teacher``, sizes).

    Shapes:
        teacher feature (N, Da); tokens (N, L, Dv) with L >= 2; labels (N, )
        or multi-hot (N, C), (N, ) when some clip is unlabelled; labelled
        (N, ) bool.
    """

    def __init__(self,
                 mnf: dict = dict(type='ModalityNoiseFilter'),
                 loss_csc: Optional[dict] = dict(type='CSCLoss'),
                 loss_cls_n: Optional[dict] = dict(
                     type='mmaction.CrossEntropyLoss'),
                 loss_gate: Optional[dict] = dict(type='GateSparsityLoss'),
                 loss_tri: Optional[dict] = dict(
                     type='CrossModalTripletLoss'),
                 csc_targets: Sequence[str] = ('calibrated', ),
                 unlabelled: str = 'skip',
                 csc_through_tokens: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.unlabelled = check_unlabelled('MNFCSCHead', unlabelled)
        self.uses_teacher_logits = unlabelled == 'teacher'
        unknown = set(csc_targets) - {'calibrated', 'filtered_teacher'}
        if not csc_targets or unknown:
            raise ValueError(
                'MNFCSCHead: csc_targets must name one or both of '
                f"'calibrated', 'filtered_teacher', got {tuple(csc_targets)}")
        self.csc_targets = tuple(csc_targets)
        self.csc_through_tokens = csc_through_tokens
        mnf = dict(mnf)
        for key in ('teacher_dim', 'student_dim', 'num_classes'):
            mnf.setdefault(key, getattr(self, key))
        self.mnf = self.build_part(mnf)
        self.loss_csc = self.build_part(loss_csc)
        self.loss_cls_n = self.build_part(loss_cls_n)
        self.loss_gate = self.build_part(loss_gate)
        self.loss_tri = self.build_part(loss_tri)
        if not any((self.loss_csc, self.loss_cls_n, self.loss_gate,
                    self.loss_tri)):
            raise ValueError('MNFCSCHead: every loss term is None; keep at '
                             'least one of loss_csc, loss_cls_n, loss_gate, '
                             'loss_tri')

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        a = inputs.teacher_feats[self.teacher]
        V, v = inputs.tokens, inputs.pooled
        y, labelled = head_labels(inputs, self.teacher, self.unlabelled)
        losses: Dict[str, Tensor] = {}
        mnf = None
        if self.loss_csc is not None:
            mnf = self.mnf(a, V if self.csc_through_tokens else V.detach())
            cos = cosine_matrix(v, mnf['filtered_teacher'])
            losses['loss_csc'] = sum(
                self.loss_csc(v, mnf[target], y, cos, labelled)
                for target in self.csc_targets)
            losses.update(tau_stats(self.loss_csc.temperature(cos), v))
        if self.loss_cls_n is not None or self.loss_tri is not None:
            v_const = v.detach()
            if mnf is None:
                mnf_const = self.mnf(a, V.detach())
            else:
                with buffers_restored(self.mnf):
                    mnf_const = self.mnf(a, V.detach())
            if self.loss_cls_n is not None:
                losses['loss_cls_n'] = labelled_loss(
                    self.loss_cls_n, mnf_const['logits'], y, labelled)
            if self.loss_tri is not None:
                losses['loss_tri'] = self.loss_tri(
                    v_const, mnf_const['filtered_teacher'],
                    mnf_const['teacher'])
            mnf = mnf if mnf is not None else mnf_const
        if self.loss_gate is not None:
            losses['loss_gate'] = self.loss_gate(self.mnf.gate_weights)
        if mnf is not None:
            losses.update(mnf_stats(mnf))
            self.clip_trust = mnf_clip_signals(
                mnf, inputs.teacher_logits.get(self.teacher))
        return losses


@torch.no_grad()
def mnf_stats(mnf: Dict[str, Tensor]) -> Dict[str, Tensor]:
    """Gate spread and attention entropy (divided by ln L) of one pass."""
    gate, attention = mnf['gate'], mnf['attention']
    entropy = -(attention * attention.clamp(min=1e-12).log()).sum(1)
    normalised = entropy / math.log(attention.size(1))  # the MNF has L >= 2
    return dict(
        mnf_gate_mean=gate.mean(),
        mnf_gate_std=gate.std() if gate.numel() > 1 else gate.new_zeros(()),
        mnf_gate_min=gate.min(),
        mnf_gate_max=gate.max(),
        mnf_attn_entropy=normalised.mean())


@torch.no_grad()
def mnf_clip_signals(mnf: Dict[str, Tensor],
                     teacher_logits: Optional[Tensor]) -> Dict[str, Tensor]:
    """What the MNF says of each clip, to score against the truth: the
    gate's mean (``gate_mean``), the norm of the filtered teacher over the
    raw one's (``norm_ratio``), the attention's entropy over ln L
    (``attn_entropy``) and, given the teacher's logits, the MNF classifier's
    probability of the teacher's class (``cls_agree``).

    Shapes:
        each (N, ).
    """
    attention = mnf['attention']
    entropy = -(attention * attention.clamp(min=1e-12).log()).sum(1)
    signals = dict(
        gate_mean=mnf['gate'].mean(dim=1),
        norm_ratio=mnf['filtered_teacher'].norm(dim=1) /
        mnf['teacher'].norm(dim=1).clamp(min=1e-12),
        attn_entropy=entropy / math.log(attention.size(1)))
    if teacher_logits is not None:
        signals['cls_agree'] = F.softmax(mnf['logits'], dim=1).gather(
            1, teacher_logits.argmax(dim=1, keepdim=True)).squeeze(1)
    return {key: value.detach() for key, value in signals.items()}
