# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, Optional

import torch
import torch.nn.functional as F
from mmaction.utils import ConfigType, OptConfigType, OptSampleList, SampleList
from mmengine.model import BaseModel
from mmengine.registry import DefaultScope
from torch import Tensor

from mmxkd.registry import MODELS
from ..necks import ModalityNoiseFilter
from ..utils import to_tokens


@MODELS.register_module()
class CrossModalDistiller(BaseModel):
    """Cross-modal distillation: MNF + CSC (Xia et al. 2023) and the
    baselines it is compared with, on the same student, data and schedule.

    A frozen teacher of one modality (audio) teaches a student recognizer of
    another (video); only the student is deployed: ``predict`` and ``tensor``
    run the student alone (``predict`` also attaches the clip-averaged pooled
    student feature as ``pred_feat``, for retrieval), and its checkpoint can
    be exported with ``tools/model_converters/extract_student.py``.

    Which teacher signal the student learns from is the choice of
    ``distill_losses`` (a key per term; dropping one is an ablation):

    - MNF + CSC (METHOD.md), with ``neck=dict(type='ModalityNoiseFilter')``:
      ``loss_csc`` (CSCLoss) reaches the student and the MNF;
      ``loss_cls_n`` (the MNF classifier), ``loss_gate`` (GateSparsityLoss)
      and ``loss_tri`` (CrossModalTripletLoss) train the MNF only. With
      ``neck=dict(type='TeacherProjector')`` CSC uses the raw teacher
      feature instead (CSC without MNF).
    - baselines on the raw teacher feature ``a``: ``loss_kd`` (KDLoss on the
      teacher classifier's logits, Hinton), ``loss_fitnet`` (FitNetLoss),
      ``loss_cos`` (CosineAlignmentLoss), ``loss_crd`` (CRDLoss, which needs
      each clip's ``sample_idx``).
    - none (``teacher=None``): the student alone.

    The student always keeps its own head loss (``loss_cls_v``).

    Args:
        student (dict): An MMAction2 recognizer config (e.g. Recognizer3D with
            ResNet2Plus1d, RecognizerAudio, or a recognizer with an
            ``mmpretrain.`` backbone).
        teacher (dict, optional): The frozen teacher, e.g.
            ``dict(type='PrecomputedTeacher', feat_dim=512)``. Required when
            ``distill_losses`` is not empty.
        neck (dict, optional): ``ModalityNoiseFilter`` or ``TeacherProjector``,
            for ``loss_csc`` and the MNF terms.
        distill_losses (dict, optional): Loss configs by name, a subset of
            ``LOSS_NAMES``; a key set to None is dropped, so a child config
            ablates a term with ``distill_losses=dict(loss_tri=None)``.
        data_preprocessor (dict, optional): Defaults to the student's.
        init_cfg (dict, optional): Initialization config.

    Shapes (N clips, one clip each in training):
        teacher feature ``a`` (N, Da); student tokens ``V`` (N, L, Dv);
        pooled student feature ``v`` (N, Dv); student logits (N, C); labels
        (N, ) or multi-hot (N, C); MNF outputs as in
        :class:`ModalityNoiseFilter`.
    """

    MNF_LOSSES = ('loss_cls_n', 'loss_gate', 'loss_tri')
    LOSS_NAMES = ('loss_csc', *MNF_LOSSES, 'loss_kd', 'loss_fitnet',
                  'loss_cos', 'loss_crd')

    def __init__(self,
                 student: ConfigType,
                 teacher: OptConfigType = None,
                 neck: OptConfigType = None,
                 distill_losses: Optional[Dict[str, ConfigType]] = None,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptConfigType = None) -> None:
        # a key set to None in a child config is an ablation
        distill_losses = {
            name: cfg
            for name, cfg in (distill_losses or {}).items() if cfg is not None
        }
        self._check_parts(teacher, neck, distill_losses)
        # Parts are built in the mmxkd scope (which sees MMAction2's types
        # too), also when the config's default scope is mmaction.
        with DefaultScope.overwrite_default_scope('mmxkd'):
            student_model = MODELS.build(student)
            teacher_model = None if teacher is None else MODELS.build(teacher)
            neck_model = None if neck is None else MODELS.build(neck)
            loss_modules = {
                name: MODELS.build(cfg)
                for name, cfg in distill_losses.items()
            }
        if set(self.MNF_LOSSES) & set(distill_losses) and not isinstance(
                neck_model, ModalityNoiseFilter):
            raise ValueError(
                f'model.distill_losses {sorted(set(self.MNF_LOSSES) & set(distill_losses))} '  # noqa: E501
                "train the MNF: they need model.neck=dict(type="
                f"'ModalityNoiseFilter', ...), got {neck}")
        super().__init__(
            data_preprocessor=data_preprocessor
            or student_model.data_preprocessor,
            init_cfg=init_cfg)
        self.student = student_model
        self.teacher = teacher_model
        if self.teacher is not None:
            self.teacher.requires_grad_(False)
        self.distill_neck = neck_model
        self.distill_losses = torch.nn.ModuleDict(loss_modules)

    @classmethod
    def _check_parts(cls, teacher: OptConfigType, neck: OptConfigType,
                     distill_losses: Dict[str, ConfigType]) -> None:
        """Config errors, before anything is built."""
        unknown = set(distill_losses) - set(cls.LOSS_NAMES)
        if unknown:
            raise ValueError(
                f'model.distill_losses has unknown keys {sorted(unknown)}; '
                f'expected a subset of {list(cls.LOSS_NAMES)}')
        if distill_losses and teacher is None:
            raise ValueError('model.distill_losses needs model.teacher')
        uses_neck = {'loss_csc', *cls.MNF_LOSSES} & set(distill_losses)
        if 'loss_csc' in distill_losses and neck is None:
            raise ValueError(
                "model.distill_losses.loss_csc needs model.neck: "
                "dict(type='ModalityNoiseFilter', ...), or dict(type="
                "'TeacherProjector', ...) for CSC on the raw teacher feature")
        if neck is not None and not uses_neck:
            raise ValueError(
                'model.neck is set but no loss uses it: add loss_csc (or the '
                f'MNF terms {list(cls.MNF_LOSSES)}) to model.distill_losses')

    def train(self, mode: bool = True) -> 'CrossModalDistiller':
        super().train(mode)
        if self.teacher is not None:
            self.teacher.eval()
        return self

    def forward(self,
                inputs: Tensor,
                data_samples: OptSampleList = None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.student._forward(inputs)
        raise RuntimeError(f'Invalid mode "{mode}". Only supports loss, '
                           'predict and tensor mode')

    def predict(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """The student's predictions, each with its clip-averaged pooled
        feature ``pred_feat`` (Dv, )."""
        feats, kwargs = self.student.extract_feat(inputs, test_mode=True)
        predictions = self.student.cls_head.predict(feats, data_samples,
                                                    **kwargs)
        pooled = to_tokens(feats, kwargs.get('num_segs')).mean(dim=1)
        pooled = pooled.view(len(predictions), -1, pooled.size(-1)).mean(1)
        for sample, feat in zip(predictions, pooled):
            sample.pred_feat = feat
        return predictions

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Losses of one batch, each logged under its own key."""
        feats, head_kwargs = self.student.extract_feat(
            inputs, data_samples=data_samples)
        tokens = to_tokens(feats, head_kwargs.get('num_segs'))  # V
        if tokens.size(0) != len(data_samples):
            raise ValueError(
                f'{tokens.size(0)} student clips for {len(data_samples)} '
                'samples: train with one clip per sample (SampleFrames '
                'num_clips=1)')
        student_logits = self.student.cls_head(feats, **head_kwargs)
        losses = self._student_losses(student_logits, data_samples,
                                      head_kwargs)
        dl = self.distill_losses
        if not dl:
            return losses
        student_feat = tokens.mean(dim=1)  # v
        labels = self._labels(data_samples)  # y
        with torch.no_grad():
            teacher_feat = self.teacher(inputs, data_samples)  # a

        if self.distill_neck is not None:
            mnf = self.distill_neck(teacher_feat, tokens)
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

        # Baselines: the student against the raw teacher.
        if 'loss_kd' in dl:
            with torch.no_grad():
                teacher_logits = self.teacher.classify(teacher_feat)
            losses['loss_kd'] = dl['loss_kd'](student_logits, teacher_logits)
        if 'loss_fitnet' in dl:
            losses['loss_fitnet'] = dl['loss_fitnet'](student_feat,
                                                      teacher_feat)
        if 'loss_cos' in dl:
            losses['loss_cos'] = dl['loss_cos'](student_feat, teacher_feat)
        if 'loss_crd' in dl:
            losses['loss_crd'] = dl['loss_crd'](
                student_feat, teacher_feat,
                self._sample_indices(data_samples, tokens.device))
        return losses

    def _student_losses(self, student_logits: Tensor,
                        data_samples: SampleList, head_kwargs: dict) -> dict:
        """The student's own head loss ``loss_cls_v`` (and its accuracies,
        and a neck's auxiliary losses), as ``Recognizer.loss`` computes it."""
        losses = dict(head_kwargs.get('loss_aux', {}))
        for key, value in self.student.cls_head.loss_by_feat(
                student_logits, data_samples).items():
            losses['loss_cls_v' if key == 'loss_cls' else key] = value
        return losses

    @staticmethod
    def _labels(data_samples: SampleList) -> Tensor:
        """(N, ) class indices, or (N, C) multi-hot for multi-label data."""
        labels = torch.stack([s.gt_label.view(-1) for s in data_samples])
        return labels.view(-1) if labels.size(1) == 1 else labels

    @staticmethod
    def _sample_indices(data_samples: SampleList,
                        device: torch.device) -> Tensor:
        if not all('sample_idx' in s for s in data_samples):
            raise KeyError(
                'loss_crd needs each clip\'s index in the training set: pack '
                "it with PackActionInputs(algorithm_keys=(..., 'sample_idx'))")
        return torch.as_tensor([int(s.sample_idx) for s in data_samples],
                               device=device)

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
