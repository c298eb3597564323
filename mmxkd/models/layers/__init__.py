# Copyright (c) mmxkd contributors. All rights reserved.
from .global_batch_norm import GlobalBatchNorm1d

__all__ = ['GlobalBatchNorm1d']
