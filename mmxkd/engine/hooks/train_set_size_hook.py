# Copyright (c) mmxkd contributors. All rights reserved.
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from mmxkd.registry import HOOKS


@HOOKS.register_module()
class TrainSetSizeHook(Hook):
    """Tell the model the training set's size before training starts (and
    before a checkpoint is resumed), for parts with per-sample state such as
    CRD's memory banks, so that no config copies the dataset's length.

    Calls ``model.set_train_size(len(train_dataset))`` when the model has
    that method; does nothing in test-only runs.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        if not isinstance(runner._train_loop, BaseLoop):
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if hasattr(model, 'set_train_size'):
            model.set_train_size(len(runner.train_dataloader.dataset))
