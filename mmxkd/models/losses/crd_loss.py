# Copyright (c) mmxkd contributors. All rights reserved.
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmxkd.registry import MODELS
from ..utils import gather_batch


@MODELS.register_module()
class CRDLoss(nn.Module):
    """Contrastive Representation Distillation (Tian et al., ICLR 2020).

    Student and teacher features are embedded (a learned linear map each,
    then L2-normalised) into a shared space; each modality keeps a memory
    bank of every training clip's embedding. For a clip, the other
    modality's bank entry of the same clip is the positive and
    ``num_negatives`` entries drawn uniformly are the negatives; the
    NCE loss of the paper is applied both ways (student anchor against the
    teacher bank and teacher anchor against the student bank) and summed.
    Scores are ``exp(f . m / T) / Z`` with ``Z`` estimated once, on the first
    batch, as in the paper's code. Banks move towards new embeddings with
    ``momentum``. The defaults are the paper's (128-d embedding, 16384
    negatives, T = 0.07, momentum 0.5, weight 0.8).

    In distributed training every rank keeps the same banks (their updates
    are gathered from every rank), estimates ``Z`` on the whole first batch,
    and draws the negatives of the whole batch (assigned to the clips in
    the order of their ``sample_idx``), keeping its own anchors' rows: with
    the ranks' random generators in the same state (MMEngine's
    ``randomness.seed`` without ``diff_rank_seed``) they are the negatives
    one process would draw for the same clips, in any order. A clip's NCE
    term reads only its own embedding and the banks, so each rank returns
    the mean over its anchors, which DDP's gradient averaging makes the
    whole batch's.

    Args:
        student_dim (int): Student feature size ``Dv``.
        teacher_dim (int): Teacher feature size ``Da``.
        num_samples (int, optional): Size of the training set (the banks'
            length); ``sample_idx`` must lie in ``[0, num_samples)``. When
            None, the banks are sized later by :meth:`set_num_samples` (the
            distiller does it from the training set) or by the checkpoint
            they are loaded from.
        embed_dim (int): Size of the shared embedding. Defaults to 128.
        num_negatives (int): Negatives per anchor. Defaults to 16384.
        temperature (float): Defaults to 0.07.
        momentum (float): Memory momentum. Defaults to 0.5.
        loss_weight (float): Weight of the loss. Defaults to 0.8.

    Shapes:
        - student_feat: (N, Dv)
        - teacher_feat: (N, Da), treated as a constant
        - sample_idx: (N, ), the clips' indices in the training set
        - output: a scalar, the mean over this rank's N anchors.
    """

    def __init__(self,
                 student_dim: int,
                 teacher_dim: int,
                 num_samples: Optional[int] = None,
                 embed_dim: int = 128,
                 num_negatives: int = 16384,
                 temperature: float = 0.07,
                 momentum: float = 0.5,
                 loss_weight: float = 0.8) -> None:
        super().__init__()
        self.embed_student = nn.Linear(student_dim, embed_dim)
        self.embed_teacher = nn.Linear(teacher_dim, embed_dim)
        self.num_negatives = num_negatives
        self.temperature = temperature
        self.momentum = momentum
        self.loss_weight = loss_weight
        self.embed_dim = embed_dim
        self.register_buffer('memory_student', torch.empty(0, embed_dim))
        self.register_buffer('memory_teacher', torch.empty(0, embed_dim))
        if num_samples is not None:
            self.set_num_samples(num_samples)
        # normalisation constants Z, set on the first batch
        self.register_buffer('z_student', torch.tensor(-1.0))
        self.register_buffer('z_teacher', torch.tensor(-1.0))

    @property
    def num_samples(self) -> int:
        return self.memory_student.size(0)

    def set_num_samples(self, num_samples: int) -> None:
        """(Re)initialise both banks for ``num_samples`` clips, uniformly in
        ``[-b, b]`` with ``b = 1 / sqrt(embed_dim / 3)`` as in the paper's
        code; kept when they already have that size."""
        if num_samples < 2:
            raise ValueError(f'num_samples must be >= 2, got {num_samples}')
        if num_samples == self.num_samples:
            return
        bound = 1 / math.sqrt(self.embed_dim / 3)
        for bank in (self.memory_student, self.memory_teacher):
            # in place, so that wrappers holding the buffer (DDP) see it
            bank.data = torch.rand(
                num_samples, self.embed_dim, device=bank.device) * 2 * bound \
                - bound

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args,
                              **kwargs) -> None:
        saved = state_dict.get(prefix + 'memory_student')
        if saved is not None and saved.size(0) != self.num_samples:
            self.set_num_samples(saved.size(0))
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def forward(self, student_feat: Tensor, teacher_feat: Tensor,
                sample_idx: Tensor) -> Tensor:
        sample_idx = sample_idx.long().view(-1)
        if self.num_samples == 0:
            raise RuntimeError(
                'CRDLoss memory banks have no size: set num_samples, or train '
                "through the runner with dict(type='mmxkd.TrainSetSizeHook') "
                'in custom_hooks (configs/_base_/default_runtime.py has it), '
                'which sizes them from the training set')
        if sample_idx.min() < 0 or sample_idx.max() >= self.num_samples:
            raise ValueError(
                f'sample_idx {sample_idx.tolist()} outside [0, '
                f'{self.num_samples}): num_samples must be the size of the '
                'training set')
        f_s = F.normalize(self.embed_student(student_feat), dim=1)
        f_t = F.normalize(self.embed_teacher(teacher_feat.detach()), dim=1)

        all_idx, rows = gather_batch(sample_idx)
        draws = torch.randint(
            self.num_samples, (all_idx.numel(), self.num_negatives + 1),
            device=sample_idx.device)
        # the clip with the k-th smallest index takes row k of the draws: a
        # clip's negatives do not depend on how the batch is ordered or split
        # over the ranks
        contrast_idx = draws[all_idx.argsort(stable=True).argsort()][rows]
        contrast_idx[:, 0] = sample_idx
        # student anchor against the teacher bank, and the other way round
        score_s = self._scores(f_s, self.memory_teacher[contrast_idx],
                               self.z_student)
        score_t = self._scores(f_t, self.memory_student[contrast_idx],
                               self.z_teacher)
        loss = self._nce(score_s) + self._nce(score_t)
        if self.training:
            self._update_memory(all_idx, f_s.detach(), f_t.detach())
        return self.loss_weight * loss

    def _scores(self, anchor: Tensor, bank: Tensor, z: Tensor) -> Tensor:
        """``exp(bank . anchor / T) / Z``: (N, K + 1), positive first."""
        scores = torch.exp(
            torch.bmm(bank.detach(), anchor.unsqueeze(2)).squeeze(2) /
            self.temperature)
        if z < 0:
            z.fill_(gather_batch(scores.detach())[0].mean().item() *
                    self.num_samples)
        return scores / z

    def _nce(self, scores: Tensor) -> Tensor:
        """NCE loss with uniform noise ``P_n = 1 / num_samples``."""
        noise = self.num_negatives / self.num_samples
        eps = 1e-7
        log_pos = torch.log(scores[:, 0] / (scores[:, 0] + noise + eps))
        log_neg = torch.log(noise / (scores[:, 1:] + noise + eps))
        return -(log_pos.sum() + log_neg.sum()) / scores.size(0)

    @torch.no_grad()
    def _update_memory(self, all_idx: Tensor, f_s: Tensor,
                       f_t: Tensor) -> None:
        """Move the banks' entries of the whole (gathered) batch,
        ``all_idx`` (B, ), towards this rank's embeddings ``f_s``, ``f_t``
        (N, E) gathered from every rank."""
        for bank, feat in ((self.memory_student, f_s),
                           (self.memory_teacher, f_t)):
            feat, _ = gather_batch(feat)
            moved = bank[all_idx] * self.momentum + feat * (1 - self.momentum)
            bank.index_copy_(0, all_idx, F.normalize(moved, dim=1))
