# Copyright (c) mmxkd contributors. All rights reserved.
from abc import ABCMeta, abstractmethod
from typing import Dict, Optional, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.registry import DefaultScope
from torch import Tensor

from mmxkd.registry import MODELS
from .distill_inputs import DistillInputs


class BaseDistillHead(BaseModule, metaclass=ABCMeta):
    """A distillation method: its learnable parts, loss terms and gradient
    routing, on top of a :class:`DistillInputs`.

    The distiller passes the sizes it reads from the built student and
    teacher (``student_dim``, ``teacher_dim``, ``num_classes``) to every
    head, so configs never copy them by hand; a value set in the head's
    config wins. ``forward`` returns a dict of scalars: keys with ``loss``
    are summed into the training loss, the others are logged as statistics.

    A head that weighs or filters clips exposes, after each ``forward``, its
    per-clip trust in the teacher in ``clip_trust`` (signal name -> (N, )
    detached tensor, higher = more trusted; ``'trust'`` is the one the head
    acts on) and in ``clip_kept`` ((N, ) bool) the clips whose teacher it
    used (for a soft weight, those of weight >= 0.5).
    :class:`~mmxkd.engine.hooks.TrustScoreHook` scores them against the
    clips' ``sound_relevant`` flags, which no head reads.

    A head that reads a student feature map other than the last one names
    it in ``student_stages``: the distiller records the outputs of those
    submodules of the student (names as in ``student.named_modules()``,
    e.g. ``'backbone.layer3'``) during its one student pass and hands them
    over in :attr:`DistillInputs.student_stages`. A head sets it as a class
    attribute, or per instance in its ``__init__`` (from its config).

    The distiller's ``init_weights`` (called by the runner) initialises
    every head by its ``init_cfg``; without one a head keeps the weights
    its layers drew when built.

    Args:
        teacher (str): Name of the teacher the head reads (a key of the
            distiller's ``teachers``). Defaults to ``'teacher'``.
        student_dim (int, optional): Channels ``Dv`` of the student tokens.
        teacher_dim (int, optional): Size ``Da`` of the teacher feature.
        num_classes (int, optional): Classes of the student's head.
        init_cfg (dict, optional): MMEngine's initialisation config of the
            head's parameters. Defaults to None.
    """

    #: The distiller computes the teacher's logits for this head.
    uses_teacher_logits: bool = False
    #: Student submodules whose outputs the head reads, by name.
    student_stages: Tuple[str, ...] = ()

    def __init__(self,
                 teacher: str = 'teacher',
                 student_dim: Optional[int] = None,
                 teacher_dim: Optional[int] = None,
                 num_classes: Optional[int] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.teacher = teacher
        self.student_dim = student_dim
        self.teacher_dim = teacher_dim
        self.num_classes = num_classes
        self.clip_trust: Dict[str, Tensor] = {}
        self.clip_kept: Optional[Tensor] = None

    @staticmethod
    def build_part(cfg: Optional[dict]) -> Optional[nn.Module]:
        """Build a loss or module config in the mmxkd scope; None stays None
        (a term dropped by a child config)."""
        if cfg is None:
            return None
        with DefaultScope.overwrite_default_scope('mmxkd'):
            return MODELS.build(cfg)

    def set_train_size(self, num_samples: int) -> None:
        """Called with the training set's size before training starts; heads
        with per-sample state (memory banks) size it here."""

    @abstractmethod
    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        """Loss terms (keys with ``loss``) and statistics of one batch."""
