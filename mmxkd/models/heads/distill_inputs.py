# Copyright (c) mmxkd contributors. All rights reserved.
from dataclasses import dataclass, field
from typing import Dict, Optional

import torch
from mmaction.utils import SampleList
from torch import Tensor


@dataclass
class DistillInputs:
    """What the distiller hands every distillation head, for one batch.

    The frame builds it once per training step; heads read the fields they
    need and never run the student or a teacher themselves.

    Attributes:
        tokens (Tensor): The student's last feature map as tokens ``V``,
            (N, L, Dv); attached to the student's graph.
        pooled (Tensor): ``v = mean_L(V)``, (N, Dv), the feature the
            student's own classifier sees.
        logits (Tensor): The student's logits, (N, C).
        labels (Tensor): (N, ) class indices, or (N, C) multi-hot; -1 for
            the clips whose label is withheld (``labelled`` False).
        teacher_feats (dict[str, Tensor]): Each teacher's feature by teacher
            name, (N, Da); constants (computed without gradients).
        teacher_logits (dict[str, Tensor]): Logits of the teachers whose
            classifier a head asked for (``uses_teacher_logits``), (N, C).
        sample_idx (Tensor, optional): (N, ) indices of the clips in the
            training set, when the pipeline packs ``sample_idx``.
        data_samples (list): The batch's data samples.
        labelled (Tensor, optional): (N, ) bool, the clips that keep their
            label (a label-scarce training set packs ``labelled``; see
            :class:`~mmxkd.datasets.AudioVisualDataset`). Defaults to all
            True. A head that needs labels states what it does with the
            other clips.
        student_stages (dict[str, Tensor]): The outputs of the student
            submodules that some head names in its ``student_stages``, by
            name (e.g. ``'backbone.layer3'``: (N, C', T', H', W') for a 3D
            backbone), from the same student pass as ``tokens``; attached
            to the student's graph. Empty when no head asks for one.
    """

    tokens: Tensor
    pooled: Tensor
    logits: Tensor
    labels: Tensor
    teacher_feats: Dict[str, Tensor]
    teacher_logits: Dict[str, Tensor] = field(default_factory=dict)
    sample_idx: Optional[Tensor] = None
    data_samples: SampleList = field(default_factory=list)
    labelled: Optional[Tensor] = None
    student_stages: Dict[str, Tensor] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.labelled is None:
            self.labelled = torch.ones(
                self.labels.size(0), dtype=torch.bool,
                device=self.labels.device)

    def label_agreement(self, teacher: str) -> Tensor:
        """Whether the teacher's class (argmax of its logits) is the label,
        on the labelled clips; False on the others.

        Args:
            teacher (str): The teacher whose logits (``teacher_logits``)
                are read.

        Returns:
            (N, ) bool.
        """
        if self.labels.dim() != 1:
            raise ValueError('label agreement needs single-label clips, got '
                             f'labels of shape {tuple(self.labels.shape)}')
        predicted = self.teacher_logits[teacher].argmax(dim=1)
        return self.labelled & (predicted == self.labels)
