# Copyright (c) mmxkd contributors. All rights reserved.
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch.utils.hooks import RemovableHandle

from mmxkd.registry import HOOKS


class NonFiniteLossError(RuntimeError):
    """A loss term, or a weight about to be saved, is NaN or infinite."""


def _is_finite(value: Any) -> bool:
    """Whether a loss term (a tensor or a list of tensors, as
    ``BaseModel.parse_losses`` takes them) holds finite values only."""
    if isinstance(value, torch.Tensor):
        return bool(torch.isfinite(value.detach()).all())
    if isinstance(value, (list, tuple)):
        return all(_is_finite(item) for item in value)
    return True


def _last_checkpoint_note(runner) -> str:
    """Where the weights from before are: the work dir's last checkpoint,
    or, before the first one, nowhere."""
    pointer = osp.join(runner.work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            return f'the last checkpoint, {f.read().strip()}, holds the ' \
                'weights from before.'
    return (f'no checkpoint was saved in {runner.work_dir} yet, so no '
            'weights of this run are kept.')


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Stop training at the first NaN or infinite loss term, before the
    optimizer step that it would poison, and never save NaN weights.

    During training a forward hook on the model reads the loss dict that
    the ``mode='loss'`` forward returns, before ``BaseModel.train_step``
    sums it and calls ``optim_wrapper.update_params``. When a term whose
    key contains ``'loss'`` (the terms ``parse_losses`` sums) is not finite,
    it raises :class:`NonFiniteLossError` naming every such term, the
    iteration and epoch (1-based, as the logs count them) and the batch's
    files, so the weights and optimizer state of the last good iteration
    stay as they are, and no checkpoint is written after it (the run ends
    before the epoch's ``CheckpointHook.after_train_epoch``). A batch's
    files are the data samples' ``filename`` metainfo, or, when the
    pipeline does not pack it, the training set's ``filename`` of each
    sample's ``sample_idx``.

    ``before_save_checkpoint`` also refuses a checkpoint with a non-finite
    floating-point entry in its state dict (weights gone bad although the
    losses were finite, e.g. after an overflowing step), so the last
    checkpoint on disk is always a usable one.

    In distributed training the rank that sees the bad term raises and the
    launcher ends the others.
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._handle: Optional[RemovableHandle] = None

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model

        def check(module: torch.nn.Module, args: tuple, kwargs: dict,
                  output: Any) -> None:
            if kwargs.get('mode') != 'loss' or not isinstance(output, dict):
                return
            bad = [
                f'{name}={self._describe(value)}'
                for name, value in output.items()
                if 'loss' in name and not _is_finite(value)
            ]
            if not bad:
                return
            samples = kwargs.get('data_samples',
                                 args[1] if len(args) > 1 else None)
            files = self.batch_files(runner, samples)
            raise NonFiniteLossError(
                f'non-finite loss at iteration {runner.iter + 1} (epoch '
                f'{runner.epoch + 1}): {", ".join(bad)}; batch files: '
                f'{", ".join(files) or "unknown"}. Training stopped before '
                f'the optimizer step; {_last_checkpoint_note(runner)}')

        self._handle = model.register_forward_hook(check, with_kwargs=True)

    def after_train(self, runner) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        state: Dict[str, Any] = checkpoint.get('state_dict', {})
        bad = [
            name for name, value in state.items()
            if isinstance(value, torch.Tensor) and value.is_floating_point()
            and not bool(torch.isfinite(value).all())
        ]
        if bad:
            raise NonFiniteLossError(
                f'non-finite weights at iteration {runner.iter} (epoch '
                f'{runner.epoch + 1}): {", ".join(bad[:10])}'
                f'{" ..." if len(bad) > 10 else ""}; not saving the '
                f'checkpoint; {_last_checkpoint_note(runner)}')

    @staticmethod
    def _describe(value: Any) -> str:
        """``nan``/``inf``/``-inf`` of the first non-finite element."""
        tensors = value if isinstance(value, (list, tuple)) else [value]
        for tensor in tensors:
            flat = tensor.detach().reshape(-1)
            bad = flat[~torch.isfinite(flat)]
            if bad.numel():
                return str(bad[0].item())
        return 'non-finite'

    @staticmethod
    def batch_files(runner, samples: Optional[Sequence[Any]]) -> List[str]:
        """The files of a batch's data samples: their ``filename``
        metainfo, else the training set's entry for their ``sample_idx``."""
        files = []
        for sample in samples or []:
            filename = sample.metainfo.get('filename')
            if filename is None and 'sample_idx' in sample:
                info = runner.train_dataloader.dataset.get_data_info(
                    int(sample.sample_idx))
                filename = info.get('filename')
            if filename is not None:
                files.append(str(filename))
        return files
