# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.evaluation  # noqa: F401  (fills the parent registries)

from .metrics import MultiLabelMAPMetric, VideoRetrievalMetric

__all__ = ['MultiLabelMAPMetric', 'VideoRetrievalMetric']
