# Copyright (c) mmxkd contributors. All rights reserved.
from .global_batch_norm import GlobalBatchNorm1d
from .trust_bank import TrustBank

__all__ = ['GlobalBatchNorm1d', 'TrustBank']
