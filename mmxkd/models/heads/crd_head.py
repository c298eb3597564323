# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict

from torch import Tensor

from mmxkd.registry import MODELS
from .base_distill_head import BaseDistillHead
from .distill_inputs import DistillInputs


@MODELS.register_module()
class CRDHead(BaseDistillHead):
    """Contrastive Representation Distillation (Tian et al. 2020) of ``v``
    against the raw teacher feature, with memory banks over the training
    set (:class:`CRDLoss`).

    The banks' length is the training set's size: set ``num_samples`` in
    ``loss_crd``, or leave it out and the banks are sized from the train
    dataloader's dataset before training starts
    (:class:`~mmxkd.engine.hooks.TrainSetSizeHook` calls the distiller's
    ``set_train_size``); a checkpoint's banks are loaded at their saved
    size. The pipeline must pack
    each clip's ``sample_idx``. CRD needs no labels: it uses every clip of
    a label-scarce batch, labelled or not (``inputs.labelled`` is ignored).

    Args:
        loss_crd (dict): :class:`CRDLoss`; ``student_dim`` and
            ``teacher_dim`` default to the head's. Defaults to
            ``dict(type='CRDLoss')``.
        **kwargs: :class:`BaseDistillHead` arguments.

    Shapes:
        v (N, Dv); a (N, Da), a constant; sample_idx (N, ).
    """

    def __init__(self, loss_crd: dict = dict(type='CRDLoss'),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        loss_crd = dict(loss_crd)
        loss_crd.setdefault('student_dim', self.student_dim)
        loss_crd.setdefault('teacher_dim', self.teacher_dim)
        self.loss_crd = self.build_part(loss_crd)

    def set_train_size(self, num_samples: int) -> None:
        self.loss_crd.set_num_samples(num_samples)

    def forward(self, inputs: DistillInputs) -> Dict[str, Tensor]:
        if inputs.sample_idx is None:
            raise KeyError(
                "CRDHead needs each clip's index in the training set: pack it "
                "with PackActionInputs(algorithm_keys=(..., 'sample_idx'))")
        return dict(loss_crd=self.loss_crd(
            inputs.pooled, inputs.teacher_feats[self.teacher],
            inputs.sample_idx))
