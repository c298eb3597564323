# Copyright (c) mmxkd contributors. All rights reserved.
from .dump_predictions import DumpPredictions
from .multilabel_map_metric import MultiLabelMAPMetric
from .video_retrieval_metric import VideoRetrievalMetric

__all__ = ['DumpPredictions', 'MultiLabelMAPMetric', 'VideoRetrievalMetric']
