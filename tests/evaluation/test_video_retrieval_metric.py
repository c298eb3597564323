# Copyright (c) mmxkd contributors. All rights reserved.
import math
from typing import List, Sequence

import pytest
import torch

from mmxkd.evaluation import VideoRetrievalMetric


def _feat(degrees: float, norm: float = 1.) -> torch.Tensor:
    rad = math.radians(degrees)
    return norm * torch.tensor([math.cos(rad), math.sin(rad)])


def _samples(angles: Sequence[float], labels: Sequence,
             norms: Sequence[float] = None) -> List[dict]:
    norms = norms or [1.] * len(angles)
    return [
        dict(pred_feat=_feat(a, n), gt_label=torch.as_tensor(label))
        for a, label, n in zip(angles, labels, norms)
    ]


# gallery g0..g4 at 0, 20, 40, 60, 80 degrees; g2 is 3 times longer, which
# changes nothing for the cosine (a dot product would rank it first for q0)
GALLERY = _samples([0, 20, 40, 60, 80], [[0], [1], [0], [1], [2]],
                   [1, 1, 3, 1, 1])
# q0 (0 deg, class 0): g0 g1 g2 g3 g4, relevant g0, g2 at ranks 1, 3:
#     AP = (1/1 + 2/3) / 2 = 5/6
# q1 (80 deg, class 1): g4 g3 g2 g1 g0, relevant g3, g1 at ranks 2, 4:
#     AP = (1/2 + 2/4) / 2 = 1/2
# q2 (40 deg, class 3): no relevant gallery item, skipped
QUERIES = _samples([0, 80, 40], [[0], [1], [3]])


def _evaluate(metric: VideoRetrievalMetric, queries: List[dict],
              gallery: List[dict], gallery_size: int = None) -> dict:
    metric.process_gallery(None, gallery)
    metric.collect_gallery(gallery_size or len(gallery))
    metric.process(None, queries)
    return metric.evaluate(len(queries))


def test_map_recall_and_reference_variant():
    metrics = _evaluate(
        VideoRetrievalMetric(topk=(1, 2, 10), reference_topk=2), QUERIES,
        GALLERY)
    assert metrics == pytest.approx({
        'retrieval/mAP': (5 / 6 + 1 / 2) / 2,
        'retrieval/R@1': 1 / 2,  # q1's first item g4 is class 2
        'retrieval/R@2': 1.,
        'retrieval/R@10': 1.,  # k beyond the gallery: all of it
        'retrieval/num_queries_without_relevant': 1,
        # top 2: q0 hits at rank 1 -> 1; q1 hits at rank 2 -> (1/2) / 1
        'retrieval/mAP@2_reference': (1 + 1 / 2) / 2,
    })
    # top 1: q1 has no hit and is skipped, q0 -> 1: above the standard mAP
    metrics = _evaluate(
        VideoRetrievalMetric(reference_topk=1, prefix='r'), QUERIES[:2],
        GALLERY)
    assert metrics['r/mAP@1_reference'] == 1.
    assert metrics['r/mAP'] == pytest.approx(2 / 3)
    assert 'r/num_queries_without_relevant' not in metrics
    assert {'r/R@1', 'r/R@5', 'r/R@10'} <= set(metrics)


def test_multi_label_relevance():
    gallery = _samples([0, 20, 40, 60, 80], [
        [1., 0., 0.],
        torch.tensor([1, 2]),  # class indices, same as [0., 1., 1.]
        [0., 0., 1.],
        [True, True, False],
        [0., 0., 0.]
    ])
    # q0 (0 deg, class 2): relevant g1, g2 at ranks 2, 3:
    #     AP = (1/2 + 2/3) / 2 = 7/12
    # q1 (80 deg, class 0): g4 g3 g2 g1 g0, relevant g3, g0 at ranks 2, 5:
    #     AP = (1/2 + 2/5) / 2 = 9/20
    queries = _samples([0, 80], [[0., 0., 1.], [1., 0., 0.]])
    metrics = _evaluate(VideoRetrievalMetric(topk=(1, 2)), queries, gallery)
    assert metrics == pytest.approx({
        'retrieval/mAP': (7 / 12 + 9 / 20) / 2,
        'retrieval/R@1': 0.,
        'retrieval/R@2': 1.
    })


def test_ties_in_gallery_order_and_padding_dropped():
    # g0 and g1 tie; the relevant g1 comes second: AP = 1/2. The 3rd item,
    # the sampler's padding, is dropped by collect_gallery(size=2); kept, it
    # would be a relevant item at rank 1.
    gallery = _samples([0, 0, 0], [[1], [0], [0]], [1, 1, 2])
    metrics = _evaluate(
        VideoRetrievalMetric(topk=1), _samples([0], [[0]]), gallery,
        gallery_size=2)
    assert metrics == {'retrieval/mAP': 0.5, 'retrieval/R@1': 0.}


def test_missing_gallery_and_reset_after_compute():
    metric = VideoRetrievalMetric()
    _evaluate(metric, QUERIES, GALLERY)
    metric.process(None, QUERIES)  # the gallery of the last evaluation is gone
    with pytest.raises(RuntimeError, match='no gallery.*RetrievalTestLoop'):
        metric.evaluate(len(QUERIES))


def test_errors():
    with pytest.raises(KeyError, match='pred_feat.*must attach it in predict'):
        VideoRetrievalMetric().process(None, [dict(gt_label=torch.tensor(0))])
    with pytest.raises(ValueError, match='shape'):
        VideoRetrievalMetric().process_gallery(
            None, [dict(pred_feat=torch.ones(1, 2), gt_label=[0])])
    with pytest.raises(ValueError, match='positive'):
        VideoRetrievalMetric(topk=(0, 1))
    with pytest.raises(ValueError, match='none of the 1 queries'):
        _evaluate(VideoRetrievalMetric(), QUERIES[2:], GALLERY)
