# Copyright (c) mmxkd contributors. All rights reserved.
from mmengine.dataset import InfiniteSampler
from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmxkd.registry import HOOKS


@HOOKS.register_module()
class LastBatchSizeHook(Hook):
    """Check, when training starts, that an epoch has a training batch at
    all, and that no training batch of a process holds a single clip where
    the model cannot train on one (the MNF's BatchNorm), instead of training
    nothing or failing at the epoch's last batch.

    An epoch without a batch (``drop_last=True`` and fewer clips per process
    than ``batch_size``) is a ValueError naming
    ``train_dataloader.batch_size`` and ``drop_last``, for every model.

    The smallest batch of a process is ``batch_size`` with ``drop_last``
    (or an infinite sampler), else the remainder of the process's share of
    the training set (``len(sampler)``: ``len(dataset)`` split over the
    world size) by ``batch_size``. The model's ``check_batch_size`` (the
    distiller's) raises a ValueError naming ``train_dataloader.batch_size``
    and ``drop_last``; models without it, and dataloaders with a
    ``batch_sampler``, are not checked.
    """

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        loader = runner.train_dataloader
        if len(loader) == 0:
            raise ValueError(
                f'an epoch has no training batch: {len(loader.sampler)} of '
                f'the {len(loader.dataset)} training clips on each of '
                f'{get_world_size()} processes, train_dataloader.batch_size='
                f'{loader.batch_size} and drop_last={loader.drop_last}; '
                'lower train_dataloader.batch_size or set '
                'train_dataloader.drop_last=False')
        check = getattr(model, 'check_batch_size', None)
        if check is None or loader.batch_size is None:
            return
        batch_size, sampler = loader.batch_size, loader.sampler
        if loader.drop_last or isinstance(sampler, InfiniteSampler):
            smallest = batch_size
        else:
            smallest = len(sampler) % batch_size or batch_size
        check(
            smallest,
            batch=(f'the smallest training batch per process ({len(sampler)} '
                   f'of the {len(loader.dataset)} clips on each of '
                   f'{get_world_size()} processes, batch_size={batch_size}, '
                   f'drop_last={loader.drop_last})'))
