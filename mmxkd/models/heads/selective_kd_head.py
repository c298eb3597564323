# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from ..layers import TrustBank
from ..utils import gather_batch
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs

SCORES = ('agreement', 'small_loss', 'contradiction')


@MODELS.register_module()
class SelectiveKDHead(BaseDistillHead):
    """Hinton KD on the clips whose teacher the student's video agrees with.

    Irrelevant sound makes the teacher confidently wrong, so its own
    confidence cannot flag it; the video can. Each clip's trust is:

    - on a labelled clip, whether the teacher's class is the label (1 or 0):
      the truth, as far as a label tells it;
    - on an unlabelled clip, ``score``, smoothed over the epochs per clip
      (:class:`~mmxkd.models.layers.TrustBank`, ``momentum``):
      ``'agreement'`` is the student's probability (softmax of its logits,
      detached) of the teacher's class, ``'small_loss'`` is
      ``exp(-KD loss of the clip)``: both high where video and sound tell
      the same class; ``'contradiction'`` compares classes by how much
      more likely the video makes them than the student's running mean
      prediction ``m`` (its class prior): ``r_c = p_s(c) / m_c``, and the
      score is ``r_teacher / max_c r_c``, 1 where the student agrees, is
      unsure or only repeats its prior, small only where the video
      confidently says another class (so a clip the student finds hard,
      or a student collapsed onto the frequent classes, drops nothing).

    For the first ``warmup_epochs`` (counted in clips seen, over every
    rank), while the student knows too little to judge, KD uses every
    unlabelled clip and the labelled clips whose teacher agrees with the
    label. After it, the unlabelled clips whose smoothed trust lies below
    ``threshold`` (when given) or else below the ``1 - keep_rate`` quantile
    of all unlabelled clips' trust are dropped from KD. ``keep_rate=None``
    estimates it from the labelled clips: ``1 -`` the share of them whose
    teacher contradicted the label so far, the teacher's error rate on this
    training set, irrelevant sound included.

    ``clip_trust['trust']`` is the trust above, ``clip_kept`` the clips KD
    used (:class:`~mmxkd.engine.hooks.TrustScoreHook`). Logged:
    ``kd_kept`` (share of the batch KD used), ``kd_keep_rate``.

    Args:
        loss_kd (dict): :class:`KDLoss`. Defaults to ``dict(type='KDLoss')``.
        score (str): ``'agreement'`` or ``'small_loss'``. Defaults to
            ``'agreement'``.
        warmup_epochs (float): Epochs of KD on every unlabelled clip.
            Defaults to 8 (of the 15 of the GRID schedule: a 3-epoch
            warm-up left the student at chance, configs/robust_kd).
        keep_rate (float, optional): Share of unlabelled clips KD keeps
            after the warm-up, in (0, 1]; None: estimated (above).
        threshold (float, optional): Smallest smoothed trust of an
            unlabelled clip that KD keeps, in [0, 1], instead of a share.
            Defaults to None.
        momentum (float): Smoothing of each clip's trust over the epochs.
            Defaults to 0.5.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        student and teacher logits (N, C); labels (N, ), -1 on unlabelled
        clips; sample_idx (N, ) (the pipeline packs ``sample_idx``).
    """

    uses_teacher_logits = True

    def __init__(self,
                 loss_kd: dict = dict(type='KDLoss'),
                 score: str = 'agreement',
                 warmup_epochs: float = 8.0,
                 keep_rate: Optional[float] = None,
                 threshold: Optional[float] = None,
                 momentum: float = 0.5,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if score not in SCORES:
            raise ValueError(f'SelectiveKDHead: score must be one of '
                             f'{SCORES}, got {score!r}')
        if warmup_epochs < 0:
            raise ValueError('SelectiveKDHead: warmup_epochs must be >= 0, '
                             f'got {warmup_epochs}')
        if keep_rate is not None and not 0 < keep_rate <= 1:
            raise ValueError('SelectiveKDHead: keep_rate must be in (0, 1] '
                             f'or None, got {keep_rate}')
        if threshold is not None and not 0 <= threshold <= 1:
            raise ValueError('SelectiveKDHead: threshold must be in [0, 1] '
                             f'or None, got {threshold}')
        self.loss_kd = self.build_part(loss_kd)
        self.score = score
        self.threshold = threshold
        self.warmup_epochs = warmup_epochs
        self.keep_rate = keep_rate
        self.bank = TrustBank(momentum)
        # the student's mean prediction over the clips seen (contradiction)
        self.register_buffer('student_prior', torch.empty(0))

    def set_train_size(self, num_samples: int) -> None:
        self.bank.set_num_samples(num_samples)

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        if inputs.sample_idx is None:
            raise ValueError(
                'SelectiveKDHead keeps a trust per clip: the train pipeline '
                "needs PackActionInputs(algorithm_keys=(..., 'sample_idx'))")
        s, t = inputs.logits, inputs.teacher_logits[self.teacher]
        per_clip = self.loss_kd.per_clip(s, t)
        agree = inputs.label_agreement(self.teacher)
        labelled = inputs.labelled
        with torch.no_grad():
            if self.score == 'agreement':
                p = F.softmax(s.detach().float(), dim=1)
                score = p.gather(1, t.argmax(dim=1, keepdim=True)).squeeze(1)
            elif self.score == 'contradiction':
                score = self.contradiction(s, t)
            else:
                score = torch.exp(-per_clip.detach().float())
            warm = (int(self.bank.seen) <
                    self.warmup_epochs * self.bank.num_samples)
            smoothed = self.bank.update(inputs.sample_idx, score, labelled,
                                        labelled & ~agree)
            trust = torch.where(labelled, agree.float(), smoothed)
            keep_rate = self.current_keep_rate()
            if warm:
                level = None
            elif self.threshold is not None:
                level = self.threshold
            else:
                level = self.bank.unlabelled_quantile(1 - keep_rate)
            kept_unlabelled = (torch.ones_like(labelled) if level is None
                               else smoothed >= level)
            kept = torch.where(labelled, agree, kept_unlabelled)
        self.clip_trust = dict(trust=trust)
        self.clip_kept = kept
        return dict(
            loss_kd=self.loss_kd.reduce(per_clip, kept.to(per_clip.dtype)),
            kd_kept=kept.float().mean(),
            kd_keep_rate=s.new_tensor(keep_rate))

    @torch.no_grad()
    def contradiction(self, s: Tensor, t: Tensor,
                      prior_momentum: float = 0.99) -> Tensor:
        """The ``'contradiction'`` score of each clip (see above), after
        moving the running mean prediction with the whole batch's.

        Shapes:
            s, t: (N, C) logits; output (N, ).
        """
        p = F.softmax(s.detach().float(), dim=1)
        mean = gather_batch(p)[0].mean(dim=0)
        if self.student_prior.numel() != p.size(1):
            self.student_prior.data = mean.clone()
        else:
            self.student_prior.mul_(prior_momentum).add_(
                mean, alpha=1 - prior_momentum)
        ratio = p / self.student_prior.clamp(min=1e-8)
        teacher = ratio.gather(1, t.argmax(dim=1, keepdim=True)).squeeze(1)
        return teacher / ratio.max(dim=1).values

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args,
                              **kwargs) -> None:
        saved = state_dict.get(prefix + 'student_prior')
        if saved is not None:
            self.student_prior.data = torch.empty_like(saved)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def current_keep_rate(self) -> float:
        """``keep_rate``, or 1 - the teacher's contradiction rate on the
        labelled clips so far (1 before any)."""
        if self.keep_rate is not None:
            return self.keep_rate
        rate = self.bank.contradiction_rate()
        return 1.0 if rate is None else 1.0 - rate
