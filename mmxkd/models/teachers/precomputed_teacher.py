# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Optional

import torch
import torch.nn as nn
from mmaction.utils import SampleList
from torch import Tensor

from mmxkd.registry import MODELS
from .teacher_classifier import load_teacher_classifier


@MODELS.register_module()
class PrecomputedTeacher(nn.Module):
    """A frozen teacher whose per-clip features were computed beforehand.

    The dataset loads one feature file per clip (``LoadTeacherFeature``) and
    ``PackActionInputs(algorithm_keys=('teacher_feat', ))`` attaches it to the
    data sample; this module gathers them into a batch. A teacher network
    built from config + checkpoint offers the same ``forward``.

    Args:
        feat_dim (int): Expected feature size ``Da``; a file of another size
            fails with the clip's name.
        key (str): Field of the data samples holding the feature. Defaults to
            ``'teacher_feat'``.
        classifier (dict, optional): The teacher's own classifier, for logit
            distillation (``classify``): ``dict(checkpoint=..., prefix=
            'cls_head.fc_cls', num_classes=None)`` names the linear layer
            ``prefix`` of the teacher's checkpoint, the layer that sees these
            features. It is loaded only when a head distils logits
            (``check_classifier``, called when the distiller is built), so a
            dataset base can name it for every method.

    Shapes:
        - output: (N, Da), on the device (and floating dtype) of ``inputs``.
        - ``classify``: (N, Da) -> (N, C) logits.
    """

    def __init__(self,
                 feat_dim: int,
                 key: str = 'teacher_feat',
                 classifier: Optional[dict] = None) -> None:
        super().__init__()
        self.feat_dim = feat_dim
        self.key = key
        self.classifier_cfg = classifier
        self.classifier: Optional[nn.Linear] = None

    def check_classifier(self) -> None:
        """Load the classifier (logit KD), or raise if none is set."""
        if self.classifier is not None:
            return
        if self.classifier_cfg is None:
            raise ValueError(
                'logit distillation needs the teacher classifier: set '
                'model.teacher.classifier=dict(checkpoint=...)')
        self.classifier = load_teacher_classifier(
            feat_dim=self.feat_dim, **self.classifier_cfg)

    def classify(self, teacher_feat: Tensor) -> Tensor:
        """The teacher's logits for its features."""
        self.check_classifier()
        return self.classifier(teacher_feat)

    def forward(self, inputs: Tensor,
                data_samples: Optional[SampleList]) -> Tensor:
        feats = []
        for sample in data_samples or []:
            if self.key not in sample:
                raise KeyError(
                    f'data sample of {sample.metainfo.get("filename", "?")} '
                    f'has no "{self.key}": the train pipeline needs '
                    "LoadTeacherFeature and PackActionInputs(algorithm_keys="
                    f"('{self.key}', ))")
            feat = torch.as_tensor(sample.get(self.key), dtype=torch.float32)
            if feat.shape != (self.feat_dim, ):
                raise ValueError(
                    f'teacher feature of {sample.metainfo.get("filename", "?")}'
                    f' has shape {tuple(feat.shape)}, expected '
                    f'({self.feat_dim}, ) (teacher.feat_dim)')
            feats.append(feat)
        if not feats:
            raise ValueError('PrecomputedTeacher needs data samples')
        dtype = inputs.dtype if inputs.is_floating_point() else None
        return torch.stack(feats).to(device=inputs.device, dtype=dtype)
