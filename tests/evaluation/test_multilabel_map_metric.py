# Copyright (c) mmxkd contributors. All rights reserved.
import pytest
import torch

from mmxkd.evaluation import MultiLabelMAPMetric
from mmxkd.evaluation.metrics.multilabel_map_metric import (average_precision,
                                                            label_to_indices)

# 4 samples x 4 classes; class 3 has no positive (left out of the macro mAP)
SCORES = torch.tensor([[0.9, 0.1, 0.5, 0.2],
                       [0.8, 0.7, 0.5, 0.3],
                       [0.3, 0.2, 0.5, 0.9],
                       [0.6, 0.4, 0.1, 0.0]])
MULTI_HOT = torch.tensor([[1., 0., 0., 0.],
                          [0., 1., 1., 0.],
                          [1., 0., 1., 0.],
                          [0., 0., 0., 0.]])
INDICES = [[0], [1, 2], [0, 2], []]
# class 0: ranks s0+ s1- s3- s2+ -> (1/1 + 2/4) / 2 = 3/4
# class 1: s1+ first -> 1
# class 2: s0-, s1+, s2+ tied at 0.5 -> one threshold with precision 2/3,
#          recall 0 -> 1: AP = 2/3 (in index order it would be 7/12)
MACRO = (3 / 4 + 1 + 2 / 3) / 3  # 29/36
# all 16 pairs, 5 positives, by distinct score:
#   0.9: {s0c0+, s2c3-}       tp 1 / 2   recall +1/5
#   0.8, 0.7: s1c0-, s1c1+    tp 2 / 4   recall +1/5
#   0.6, 0.5: s3c0-, {s0c2-, s1c2+, s2c2+}  tp 4 / 8  recall +2/5
#   0.4, 0.3: s3c1-, {s1c3-, s2c0+}         tp 5 / 11 recall +1/5
MICRO = (1 / 2 + 1 / 2 + 2 * 1 / 2) / 5 + (5 / 11) / 5  # 27/55


def _evaluate(labels) -> dict:
    metric = MultiLabelMAPMetric()
    metric.process(None, [
        dict(pred_score=score, gt_label=label)
        for score, label in zip(SCORES, labels)
    ])
    return metric.evaluate(len(SCORES))


@pytest.mark.parametrize('labels', [
    MULTI_HOT, MULTI_HOT.bool(), INDICES,
    [torch.tensor(x, dtype=torch.long) for x in INDICES]
],
                         ids=['float', 'bool', 'list', 'long'])
def test_macro_and_micro_map(labels):
    metrics = _evaluate(labels)
    assert set(metrics) == {'tagging/mAP', 'tagging/micro_mAP'}
    assert metrics['tagging/mAP'] == pytest.approx(MACRO)
    assert metrics['tagging/micro_mAP'] == pytest.approx(MICRO)


def test_average_precision_without_ties_and_order_of_ties():
    # positives at ranks 2 and 3: (1/2 + 2/3) / 2
    assert average_precision(
        torch.tensor([.9, .8, .7, .1]),
        torch.tensor([0, 1, 1, 0])) == pytest.approx(7 / 12)
    tied = torch.tensor([.5, .5, .5, .1])
    for targets in ([0, 1, 1, 0], [1, 1, 0, 0]):
        assert average_precision(
            tied, torch.tensor(targets)) == pytest.approx(2 / 3)


def test_label_errors():
    with pytest.raises(ValueError, match='out of range'):
        label_to_indices([4], num_classes=4)
    with pytest.raises(ValueError, match='shape'):
        label_to_indices(torch.ones(3), num_classes=4)
    with pytest.raises(KeyError, match='pred_score'):
        MultiLabelMAPMetric().process(None, [dict(gt_label=[0])])
    metric = MultiLabelMAPMetric()
    metric.process(None, [dict(pred_score=torch.rand(3), gt_label=[])])
    with pytest.raises(ValueError, match='no sample has a positive'):
        metric.evaluate(1)
