# Copyright (c) mmxkd contributors. All rights reserved.
from .trust_scores import roc_auc, trust_scores

__all__ = ['roc_auc', 'trust_scores']
