# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Optional, Sequence, Union

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
