# Copyright (c) mmxkd contributors. All rights reserved.
from contextlib import contextmanager
from typing import Iterator, Optional, Sequence, Union

import torch
import torch.nn as nn
from torch import Tensor


def to_tokens(feats: Union[Tensor, Sequence[Tensor]],
              num_segs: Optional[int] = None) -> Tensor:
    """Flatten a student feature map into tokens ``V`` (N, L, C).

    Accepts the outputs of MMAction2 recognizers: (N, C, T, H, W) from 3D
    backbones, (N * num_segs, C, H, W) from 2D ones (``num_segs`` given by
    ``Recognizer2D.extract_feat``), (N, L, C) tokens or (N, C) vectors; of a
    tuple of stages the last is used.
    """
    if isinstance(feats, (tuple, list)):
        feats = feats[-1]
    if feats.dim() == 5:
        return feats.flatten(2).transpose(1, 2)
    if feats.dim() == 4:
        if not num_segs:
            return feats.flatten(2).transpose(1, 2)
        n_segs, channels = feats.shape[:2]
        feats = feats.view(n_segs // num_segs, num_segs, channels, -1)
        return feats.permute(0, 1, 3, 2).reshape(n_segs // num_segs, -1,
                                                 channels)
    if feats.dim() == 3:
        return feats
    if feats.dim() == 2:
        return feats.unsqueeze(1)
    raise ValueError(f'unsupported student feature shape {tuple(feats.shape)}')


@contextmanager
def buffers_restored(module: nn.Module) -> Iterator[None]:
    """Run a forward pass of ``module`` that leaves its buffers (BatchNorm
    running statistics, counters) as they were: a second pass over the same
    batch must not move them a second time.

    The pass works on copies of the buffers, so the tensors that an earlier
    pass saved for its backward are not modified in place.
    """
    originals = []
    for sub in module.modules():
        for name, buffer in sub._buffers.items():
            if buffer is not None:
                originals.append((sub, name, buffer))
                sub._buffers[name] = buffer.clone()
    try:
        yield
    finally:
        for sub, name, buffer in originals:
            sub._buffers[name] = buffer
