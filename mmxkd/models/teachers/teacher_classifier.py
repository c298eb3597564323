# Copyright (c) mmxkd contributors. All rights reserved.
import os.path as osp
from typing import Optional

import torch.nn as nn
from mmengine.runner import CheckpointLoader


def load_teacher_classifier(checkpoint: Optional[str],
                            feat_dim: int,
                            num_classes: Optional[int] = None,
                            prefix: str = 'cls_head.fc_cls') -> nn.Linear:
    """The linear classifier ``prefix`` of a teacher checkpoint.

    Args:
        checkpoint (str): The teacher's MMEngine checkpoint.
        num_classes (int, optional): Expected number of classes; by default
            the checkpoint's.
        feat_dim (int): Expected input size (the teacher feature size).
        prefix (str): Module path of the layer in the teacher model.
            Defaults to ``'cls_head.fc_cls'`` (MMAction2's heads).

    Returns:
        nn.Linear: (feat_dim -> num_classes), frozen.

    Raises:
        ValueError: ``checkpoint`` is None, or its layer has other shapes.
        FileNotFoundError: ``checkpoint`` does not exist.
        KeyError: The checkpoint has no ``prefix``.
    """
    if checkpoint is None:
        raise ValueError(
            'the teacher\'s classifier is needed (logit KD, or '
            'unlabelled=\'teacher\') but model.teacher.classifier.checkpoint '
            'is None: set teacher_checkpoint in the dataset base (or '
            'model.teacher.classifier.checkpoint) to the audio teacher\'s '
            'checkpoint')
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(
            f'teacher checkpoint {checkpoint} does not exist '
            '(model.teacher.classifier.checkpoint)')
    state = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    state = state.get('state_dict', state)
    weight, bias = (state.get(f'{prefix}.{name}') for name in ('weight',
                                                                 'bias'))
    if weight is None:
        raise KeyError(f'{checkpoint} has no "{prefix}.weight" '
                       '(model.teacher.classifier.prefix)')
    num_classes = weight.size(0) if num_classes is None else num_classes
    if tuple(weight.shape) != (num_classes, feat_dim):
        raise ValueError(
            f'{checkpoint}: {prefix}.weight is {tuple(weight.shape)}, '
            f'expected ({num_classes}, {feat_dim}) (num_classes, feat_dim)')
    layer = nn.Linear(feat_dim, num_classes, bias=bias is not None)
    layer.weight.data.copy_(weight)
    if bias is not None:
        layer.bias.data.copy_(bias)
    return layer.requires_grad_(False)
