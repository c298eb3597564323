# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.evaluation  # noqa: F401  (fills the parent registries)

from .functional import roc_auc, trust_scores
from .metrics import (DumpPredictions, MultiLabelMAPMetric,
                      VideoRetrievalMetric)

__all__ = [
    'DumpPredictions', 'MultiLabelMAPMetric', 'VideoRetrievalMetric',
    'roc_auc', 'trust_scores'
]
