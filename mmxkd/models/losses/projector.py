# Copyright (c) mmxkd contributors. All rights reserved.
import torch.nn as nn


def linear_projector(in_dim: int, out_dim: int,
                     always: bool = False) -> nn.Module:
    """A learned ``Linear(in_dim, out_dim)``, or the identity when the sizes
    match and ``always`` is False."""
    if in_dim == out_dim and not always:
        return nn.Identity()
    return nn.Linear(in_dim, out_dim)
