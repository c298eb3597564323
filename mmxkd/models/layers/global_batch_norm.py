# Copyright (c) mmxkd contributors. All rights reserved.
import torch
import torch.nn as nn
from torch import Tensor

from mmxkd.registry import MODELS
from ..utils import gather_batch, world_size


@MODELS.register_module(name='GlobalBN1d')
class GlobalBatchNorm1d(nn.BatchNorm1d):
    """BatchNorm over the whole batch of every process, on any backend.

    In distributed training its statistics are the mean and variance of the
    batch gathered from all ranks, with gradients (``gather_batch``), so
    ``N`` processes of ``B`` clips normalise as one process of ``N x B``:
    what torch's ``SyncBatchNorm`` does on GPUs, also with gloo on CPUs.
    With one process, or in eval mode, it is ``nn.BatchNorm1d`` (same
    parameters, buffers and state-dict keys).

    Shapes:
        - input: (N, C)
        - output: (N, C)
    """

    #: Normalises with every rank's batch (``batch_norm_names``).
    gathers_batch = True

    def forward(self, input: Tensor) -> Tensor:
        if not (self.training and world_size() > 1):
            return super().forward(input)
        if input.dim() != 2:
            raise ValueError(
                f'GlobalBN1d expects (N, C), got {tuple(input.shape)}')
        gathered, _ = gather_batch(input)
        num = gathered.size(0)
        mean = gathered.mean(0)
        var = gathered.var(0, unbiased=False)
        if self.track_running_stats:
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                momentum = self.momentum if self.momentum is not None else \
                    1.0 / float(self.num_batches_tracked)
                self.running_mean.mul_(1 - momentum).add_(momentum * mean)
                self.running_var.mul_(1 - momentum).add_(
                    momentum * var * num / max(num - 1, 1))
        out = (input - mean) / torch.sqrt(var + self.eps)
        if self.affine:
            out = out * self.weight + self.bias
        return out
