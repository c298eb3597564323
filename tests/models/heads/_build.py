# Copyright (c) mmxkd contributors. All rights reserved.
"""A distiller around the tiny student with the given heads."""
import torch
import torch.nn as nn

import mmxkd
from mmxkd.registry import MODELS
from .._student import TEACHER_DIM, student_cfg

mmxkd.register_all_modules()


def build_distiller(heads: dict, teacher: dict = None,
                    num_classes: int = 3) -> nn.Module:
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='CrossModalDistiller',
            student=student_cfg(num_classes),
            teacher=teacher
            or dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM),
            heads=heads)).train()


def grads(module: nn.Module) -> dict:
    return {n: p.grad for n, p in module.named_parameters()}
