# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from mmxkd.registry import HOOKS


def dataset_teacher_feat_dim(dataset) -> Optional[int]:
    """The teacher-feature length that a (possibly wrapped) dataset checked
    its files against, None if it has none."""
    while dataset is not None:
        dim = getattr(dataset, 'teacher_feat_dim', None)
        if dim is not None:
            return int(dim)
        dataset = getattr(dataset, 'dataset', None)
    return None


@HOOKS.register_module()
class TrainSetSizeHook(Hook):
    """Tell the model the training set's size before training starts (and
    before a checkpoint is resumed), for parts with per-sample state such as
    CRD's memory banks, so that no config copies the dataset's length; and
    check that the training set's teacher features have the length each of
    the model's teachers expects (``feat_dim``), before the first iteration.

    Calls ``model.set_train_size(len(train_dataset))`` when the model has
    that method; does nothing in test-only runs.

    Raises:
        ValueError: A teacher's ``feat_dim`` differs from the length of the
            training set's teacher features; names both config keys.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        if not isinstance(runner._train_loop, BaseLoop):
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        dataset = runner.train_dataloader.dataset
        feat_dim = dataset_teacher_feat_dim(dataset)
        for name, teacher in getattr(model, 'teachers', {}).items():
            expected = getattr(teacher, 'feat_dim', None)
            if None not in (feat_dim, expected) and feat_dim != expected:
                raise ValueError(
                    f'the training set\'s teacher features have length '
                    f'{feat_dim} (train_dataloader.dataset.teacher_feat_dim, '
                    f'checked against every file), but teacher "{name}" '
                    f'expects feat_dim={expected} (model.teacher.feat_dim); '
                    'make them agree (teacher_feat_dim in the dataset base '
                    'sets both)')
        if hasattr(model, 'set_train_size'):
            model.set_train_size(len(dataset))
