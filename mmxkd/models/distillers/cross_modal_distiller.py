# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

import torch
import torch.nn.functional as F
from mmaction.utils import ConfigType, OptConfigType, OptSampleList, SampleList
from mmengine.model import BaseModel
from mmengine.registry import DefaultScope
from torch import Tensor

from mmxkd.registry import MODELS
from ..utils import to_tokens


@MODELS.register_module()
class CrossModalDistiller(BaseModel):
    """Cross-modal distillation with MNF and CSC (Xia et al. 2023).

    A frozen teacher of one modality (audio) teaches a student recognizer of
    another (video); only the student is deployed: ``predict`` and ``tensor``
    run the student alone, and its checkpoint can be exported with
    ``tools/model_converters/extract_student.py``.

    Who learns from what (METHOD.md): the student gets ``loss_cls_v`` and
    ``loss_csc``; the MNF neck gets ``loss_cls_n``, ``loss_gate``,
    ``loss_tri`` and ``loss_csc``; the teacher is frozen.

    Args:
        student (dict): An MMAction2 recognizer config (e.g. Recognizer3D with
            ResNet2Plus1d, or a recognizer with an ``mmpretrain.`` backbone).
        teacher (dict): The frozen teacher, e.g.
            ``dict(type='PrecomputedTeacher', feat_dim=512)``.
        neck (dict): The MNF, ``dict(type='ModalityNoiseFilter', ...)``.
        distill_losses (dict): Loss configs by name; any subset of
            ``loss_csc`` (CSCLoss), ``loss_cls_n`` (MNF classifier),
            ``loss_gate`` (GateSparsityLoss) and ``loss_tri``
            (CrossModalTripletLoss). Dropping a key is an ablation.
        data_preprocessor (dict, optional): Defaults to the student's.
        init_cfg (dict, optional): Initialization config.

    Shapes (N clips, one clip each in training):
        teacher feature ``a`` (N, Da); student tokens ``V`` (N, L, Dv);
        pooled student feature ``v`` (N, Dv); MNF outputs as in
        :class:`ModalityNoiseFilter`.
    """

    LOSS_NAMES = ('loss_csc', 'loss_cls_n', 'loss_gate', 'loss_tri')

    def __init__(self,
                 student: ConfigType,
                 teacher: ConfigType,
                 neck: ConfigType,
                 distill_losses: Dict[str, ConfigType],
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptConfigType = None) -> None:
        unknown = set(distill_losses) - set(self.LOSS_NAMES)
        if unknown:
            raise ValueError(
                f'model.distill_losses has unknown keys {sorted(unknown)}; '
                f'expected a subset of {list(self.LOSS_NAMES)}')
        # Parts are built in the mmxkd scope (which sees MMAction2's types
        # too), also when the config's default scope is mmaction.
        with DefaultScope.overwrite_default_scope('mmxkd'):
            student_model = MODELS.build(student)
            teacher_model = MODELS.build(teacher)
            neck_model = MODELS.build(neck)
            loss_modules = {
                name: MODELS.build(cfg)
                for name, cfg in distill_losses.items()
            }
        super().__init__(
            data_preprocessor=data_preprocessor
            or student_model.data_preprocessor,
            init_cfg=init_cfg)
        self.student = student_model
        self.teacher = teacher_model
        self.teacher.requires_grad_(False)
        self.distill_neck = neck_model
        self.distill_losses = torch.nn.ModuleDict(loss_modules)

    def train(self, mode: bool = True) -> 'CrossModalDistiller':
        super().train(mode)
        self.teacher.eval()
        return self

    def forward(self,
                inputs: Tensor,
                data_samples: OptSampleList = None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.student.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.student._forward(inputs)
        raise RuntimeError(f'Invalid mode "{mode}". Only supports loss, '
                           'predict and tensor mode')

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Losses of one batch, each logged under its own key."""
        feats, head_kwargs = self.student.extract_feat(
            inputs, data_samples=data_samples)
        tokens = to_tokens(feats, head_kwargs.get('num_segs'))  # V
        with torch.no_grad():
            teacher_feat = self.teacher(inputs, data_samples)  # a
        if teacher_feat.size(0) != tokens.size(0):
            raise ValueError(
                f'{teacher_feat.size(0)} teacher features for '
                f'{tokens.size(0)} student clips: train with one clip per '
                'sample (SampleFrames num_clips=1)')
        losses = self._student_losses(feats, data_samples, head_kwargs)
        student_feat = tokens.mean(dim=1)  # v
        labels = torch.cat([s.gt_label.view(-1) for s in data_samples])
        mnf = self.distill_neck(teacher_feat, tokens)
        dl = self.distill_losses

        # MNF-only terms: their gradient into the student is discarded.
        if 'loss_cls_n' in dl:
            losses['loss_cls_n'] = self._mnf_only(
                dl['loss_cls_n'](mnf['logits'], labels), tokens)
        if 'loss_tri' in dl:
            losses['loss_tri'] = self._mnf_only(
                dl['loss_tri'](student_feat, mnf['filtered_teacher'],
                               mnf['teacher']), tokens)
        if 'loss_gate' in dl:
            losses['loss_gate'] = dl['loss_gate'](self.distill_neck.gate_weights)

        # CSC reaches both the student and the MNF.
        if 'loss_csc' in dl:
            teacher_student_cos = F.normalize(
                student_feat, dim=1) @ F.normalize(
                    mnf['filtered_teacher'], dim=1).t()
            losses['loss_csc'] = dl['loss_csc'](student_feat,
                                                mnf['calibrated'], labels,
                                                teacher_student_cos)
        return losses

    def _student_losses(self, feats, data_samples: SampleList,
                        head_kwargs: dict) -> dict:
        """The student's own head loss ``loss_cls_v`` (and its accuracies,
        and a neck's auxiliary losses), as ``Recognizer.loss`` computes it."""
        losses = dict(head_kwargs.get('loss_aux', {}))
        for key, value in self.student.cls_head.loss(
                feats, data_samples, **head_kwargs).items():
            losses['loss_cls_v' if key == 'loss_cls' else key] = value
        return losses

    @staticmethod
    def _mnf_only(loss: Tensor, student_tokens: Tensor) -> Tensor:
        """``loss`` unchanged in value, with no gradient into the student.

        Adds ``c.detach() - c`` with ``c = <V, dloss/dV>`` (the gradient held
        constant): zero in value, it cancels exactly what ``loss`` would send
        into the student's feature map ``V``, and with it into every student
        parameter, while the MNF keeps its gradient. One forward, one
        backward, DDP-safe (the reference used two optimizers instead).
        """
        if not (loss.requires_grad and student_tokens.requires_grad):
            return loss
        grad, = torch.autograd.grad(
            loss, student_tokens, retain_graph=True, allow_unused=True)
        if grad is None:
            return loss
        cancel = (student_tokens * grad).sum()
        return loss + (cancel.detach() - cancel)
