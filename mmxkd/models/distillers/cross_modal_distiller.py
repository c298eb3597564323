# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
from mmaction.utils import ConfigType, OptConfigType, OptSampleList, SampleList
from mmengine.model import BaseModel, ModuleDict
from mmengine.registry import DefaultScope
from torch import Tensor

from mmxkd.registry import MODELS
from ..heads import BaseDistillHead, DistillInputs
from ..utils import (batch_norm_names, labelled_scale, outputs_recorded,
                     to_tokens)


@MODELS.register_module()
class CrossModalDistiller(BaseModel):
    """The distillation frame: a student, frozen teachers and distillation
    heads (one per method).

    In training the frame runs the student once (its own loss,
    ``loss_cls_v``, comes from its head's ``loss_by_feat``), runs every
    teacher without gradients, builds one :class:`DistillInputs` and sums
    what the heads return, each term under its own log key. ``predict`` and
    ``tensor`` run the student alone (``predict`` also attaches the
    clip-averaged pooled student feature ``pred_feat``, for retrieval); only
    the student is deployed (``tools/model_converters/extract_student.py``).

    Label scarcity: when the samples carry ``labelled`` (a label-scarce
    :class:`~mmxkd.datasets.AudioVisualDataset`), ``loss_cls_v`` is the
    student's loss over the labelled clips only (in distributed training,
    the mean over the whole batch's labelled clips; 0, still attached to the
    graph, when none is labelled), the unlabelled clips' labels are -1 in
    :class:`DistillInputs` and its ``labelled`` mask tells the heads which
    clips keep their label. Without the flag every clip is labelled.

    Every head receives the sizes read from the built student (``Dv`` =
    its head's ``in_channels``, ``num_classes``) and from its teacher
    (``feat_dim``), unless its config sets them.

    Earlier student stages: the student submodules that the heads name in
    their ``student_stages`` are recorded (forward hooks, held for the
    student pass only) and handed to every head in
    :attr:`DistillInputs.student_stages`; a new method that reads an
    earlier feature map declares it there and changes no frame code.

    ``init_weights`` (called by the runner) initialises the student and
    every head (by the head's ``init_cfg``; none keeps the weights drawn at
    build), never the teachers, whose weights come from their checkpoints
    or feature files.

    Args:
        student (dict): An MMAction2 recognizer config (Recognizer3D,
            Recognizer2D, RecognizerAudio, or one with an ``mmpretrain.``
            backbone).
        teacher (dict, optional): One frozen teacher, named ``'teacher'``
            (shorthand for ``teachers=dict(teacher=...)``).
        teachers (dict[str, dict], optional): Frozen teachers by name; each
            head reads the one its ``teacher`` names.
        heads (dict[str, dict], optional): Distillation heads by name (a
            dict, so a child config edits one with
            ``heads=dict(mnf_csc=dict(loss_tri=None))``; a head set to None
            is dropped). None or empty: the student alone.
        data_preprocessor (dict, optional): Defaults to the student's.
        init_cfg (dict, optional): Initialization config.

    Shapes (N clips, one clip each in training):
        student tokens ``V`` (N, L, Dv); pooled ``v`` (N, Dv); student logits
        (N, C); teacher features (N, Da); labels (N, ) or multi-hot (N, C).
    """

    def __init__(self,
                 student: ConfigType,
                 teacher: OptConfigType = None,
                 teachers: Optional[Dict[str, ConfigType]] = None,
                 heads: Optional[Dict[str, ConfigType]] = None,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptConfigType = None) -> None:
        teachers = self._teacher_cfgs(teacher, teachers)
        heads = {name: cfg for name, cfg in (heads or {}).items() if cfg}
        # Parts are built in the mmxkd scope (which sees MMAction2's types
        # too), also when the config's default scope is mmaction.
        with DefaultScope.overwrite_default_scope('mmxkd'):
            student_model = MODELS.build(student)
            teacher_models = {
                name: MODELS.build(cfg)
                for name, cfg in teachers.items()
            }
            head_models = {
                name: self._build_head(name, cfg, student_model,
                                       teacher_models)
                for name, cfg in heads.items()
            }
        super().__init__(
            data_preprocessor=data_preprocessor
            or student_model.data_preprocessor,
            init_cfg=init_cfg)
        self.student = student_model
        self.teachers = nn.ModuleDict(teacher_models)
        self.teachers.requires_grad_(False)
        self.distill_heads = ModuleDict(head_models)

    @staticmethod
    def _teacher_cfgs(
            teacher: OptConfigType,
            teachers: Optional[Dict[str, ConfigType]]) -> Dict[str, dict]:
        if teacher is not None and teachers:
            raise ValueError('set model.teacher or model.teachers, not both')
        if teacher is not None:
            return dict(teacher=teacher)
        return {name: cfg for name, cfg in (teachers or {}).items() if cfg}

    @staticmethod
    def _build_head(name: str, cfg: ConfigType, student: nn.Module,
                    teachers: Dict[str, nn.Module]) -> BaseDistillHead:
        """Build head ``name`` with the sizes of its student and teacher."""
        cfg = dict(cfg)
        head_type = cfg.get('type')
        head_cls = MODELS.get(head_type) if isinstance(head_type,
                                                      str) else head_type
        if not (isinstance(head_cls, type)
                and issubclass(head_cls, BaseDistillHead)):
            raise TypeError(f'model.heads.{name} must be a distillation head '
                            f'(BaseDistillHead), got type={head_type!r}')
        teacher_name = cfg.setdefault('teacher', 'teacher')
        if teacher_name not in teachers:
            raise ValueError(
                f'model.heads.{name} reads teacher "{teacher_name}", but '
                f'model.teachers has {sorted(teachers) or "none"} (set '
                'model.teacher, or the head\'s teacher=...)')
        teacher = teachers[teacher_name]
        student_head = getattr(student, 'cls_head', None)
        defaults = dict(
            student_dim=getattr(student_head, 'in_channels', None),
            num_classes=getattr(student_head, 'num_classes', None),
            teacher_dim=getattr(teacher, 'feat_dim', None))
        for key, value in defaults.items():
            if value is not None:
                cfg.setdefault(key, value)
        head = MODELS.build(cfg)
        modules = dict(student.named_modules())
        unknown = [stage for stage in head.student_stages
                   if not stage or stage not in modules]
        if unknown:
            stages = [n for n in modules if n.count('.') == 1]
            raise ValueError(
                f'model.heads.{name} reads the student stages {unknown}, '
                'which are not submodules of the student (names as in '
                f'student.named_modules(), e.g. {stages[:8]})')
        if head.uses_teacher_logits:
            check = getattr(teacher, 'check_classifier', None)
            if check is None:
                raise ValueError(
                    f'model.heads.{name} distils the teacher\'s logits, but '
                    f'teacher "{teacher_name}" ({type(teacher).__name__}) '
                    'has no classifier')
            try:
                check()
            except ValueError as err:
                raise ValueError(
                    f'model.heads.{name} reads the logits of teacher '
                    f'"{teacher_name}" (uses_teacher_logits): {err}') from err
        return head

    def train(self, mode: bool = True) -> 'CrossModalDistiller':
        super().train(mode)
        self.teachers.eval()
        return self

    def set_train_size(self, num_samples: int) -> None:
        """Tell every head the training set's size (memory banks)."""
        for head in self.distill_heads.values():
            head.set_train_size(num_samples)

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

    def check_batch_size(self,
                         num_clips: int,
                         batch: str = 'this training batch') -> None:
        """Raise a ValueError, naming the dataloader settings, when a head's
        BatchNorm would normalise a training batch of ``num_clips == 1`` (it
        has no batch statistics; torch's own error names neither).

        Args:
            num_clips (int): Clips of a batch on one process.
            batch (str): Which batch, for the message.
        """
        if num_clips > 1:
            return
        norms = [
            f'model.distill_heads.{name}'
            for name in batch_norm_names(self.distill_heads)
        ]
        if norms:
            raise ValueError(
                f'{batch} holds {num_clips} clip, but the BatchNorm layers '
                f'{", ".join(norms)} need at least 2 clips per process in '
                'training: set train_dataloader.batch_size >= 2 and '
                'train_dataloader.drop_last=True, so that no batch (the '
                "epoch's last one included) holds a single clip")

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """The student's losses and every head's terms, by log key."""
        self.check_batch_size(len(data_samples))
        losses, distill_inputs = self.student_step(inputs, data_samples)
        if not self.distill_heads:
            return losses
        distill_inputs.teacher_feats, distill_inputs.teacher_logits = \
            self.run_teachers(inputs, data_samples)
        for name, head in self.distill_heads.items():
            for key, value in head(distill_inputs).items():
                if key in losses:
                    raise KeyError(
                        f'model.heads.{name} returns "{key}", which another '
                        'head (or the student) already returns')
                losses[key] = value
        return losses

    @property
    def student_stages(self) -> Tuple[str, ...]:
        """The student submodules whose outputs some head reads."""
        return tuple(
            sorted({
                stage
                for head in self.distill_heads.values()
                for stage in head.student_stages
            }))

    def student_step(self, inputs: Tensor,
                     data_samples: SampleList) -> Tuple[dict, DistillInputs]:
        """One student pass: its own losses (``loss_cls`` over the labelled
        clips, logged as ``loss_cls_v``, plus a neck's auxiliary losses, as
        ``BaseRecognizer.loss``) and the student fields of the heads'
        inputs (teacher fields empty), with the outputs of the stages the
        heads name (:attr:`student_stages`)."""
        wanted = self.student_stages
        with outputs_recorded(self.student, wanted) as stages:
            feats, head_kwargs = self.student.extract_feat(
                inputs, data_samples=data_samples)
            tokens = to_tokens(feats, head_kwargs.get('num_segs'))  # V
            if tokens.size(0) != len(data_samples):
                raise ValueError(
                    f'{tokens.size(0)} student clips for {len(data_samples)} '
                    'samples: train with one clip per sample (SampleFrames '
                    'num_clips=1)')
            logits = self.student.cls_head(feats, **head_kwargs)
        missing = [stage for stage in wanted if stage not in stages]
        if missing:
            raise RuntimeError(
                f'the student stages {missing}, which a head reads, did not '
                'run in the student pass (extract_feat and cls_head)')
        flags = None
        if all('labelled' in s for s in data_samples):
            flags = torch.as_tensor(
                [bool(s.labelled) for s in data_samples], device=tokens.device)
        losses = dict(head_kwargs.get('loss_aux', {}))
        for key, value in self.student_loss(logits, data_samples,
                                            flags).items():
            losses['loss_cls_v' if key == 'loss_cls' else key] = value
        labelled = flags if flags is not None else torch.ones(
            len(data_samples), dtype=torch.bool, device=tokens.device)
        labels = torch.stack([s.gt_label.view(-1) for s in data_samples])
        labels = labels.to(tokens.device).masked_fill(~labelled.view(-1, 1),
                                                      -1)
        sample_idx = None
        if all('sample_idx' in s for s in data_samples):
            sample_idx = torch.as_tensor(
                [int(s.sample_idx) for s in data_samples],
                device=tokens.device)
        return losses, DistillInputs(
            tokens=tokens,
            pooled=tokens.mean(dim=1),  # v
            logits=logits,
            labels=labels.view(-1) if labels.size(1) == 1 else labels,
            teacher_feats={},
            sample_idx=sample_idx,
            data_samples=data_samples,
            labelled=labelled,
            student_stages=stages)

    def student_loss(self, logits: Tensor, data_samples: SampleList,
                     labelled: Optional[Tensor]) -> Dict[str, Tensor]:
        """The student head's ``loss_by_feat`` over the labelled clips.

        Without flags (``labelled`` None), or when every clip of the whole
        batch is labelled (the flags are gathered from every rank), the
        head's losses on the batch. Otherwise its losses on this rank's
        labelled clips, each loss term scaled to its share of the mean over
        the whole batch's labelled clips
        (:func:`~mmxkd.models.utils.labelled_share`), or ``loss_cls = 0 *
        sum(logits)`` (attached to the graph, so that DDP and backward see
        every parameter) when this rank has none.

        Args:
            logits (Tensor): The student's logits.
            data_samples (list): The batch's data samples.
            labelled (Tensor, optional): The clips that keep their label,
                when the samples carry the flag.

        Shapes:
            logits (N, C); labelled (N, ) bool.
        """
        head = self.student.cls_head
        scale = labelled_scale(labelled)
        if scale is None:
            return head.loss_by_feat(logits, data_samples)
        if not bool(labelled.any()):
            return dict(loss_cls=logits.sum() * 0)
        kept = [s for s, keep in zip(data_samples, labelled.tolist()) if keep]
        return {
            key: value * scale if 'loss' in key else value
            for key, value in head.loss_by_feat(logits[labelled],
                                                kept).items()
        }

    @torch.no_grad()
    def run_teachers(
        self, inputs: Tensor, data_samples: SampleList
    ) -> Tuple[Dict[str, Tensor], Dict[str, Tensor]]:
        """Every teacher's features, and the logits of the teachers whose
        classifier a head distils."""
        feats = {
            name: teacher(inputs, data_samples)
            for name, teacher in self.teachers.items()
        }
        wanted = {
            head.teacher
            for head in self.distill_heads.values() if head.uses_teacher_logits
        }
        logits = {
            name: self.teachers[name].classify(feats[name])
            for name in wanted
        }
        return feats, logits
