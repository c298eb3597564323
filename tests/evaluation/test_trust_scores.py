# Copyright (c) mmxkd contributors. All rights reserved.
"""ROC-AUC and precision / recall of per-clip trust against the truth."""
import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from mmxkd.evaluation import roc_auc, trust_scores


def test_roc_auc_matches_a_reference_with_ties():
    rng = np.random.default_rng(0)
    scores = rng.integers(0, 5, size=200).astype(float)
    positive = rng.random(200) < scores / 6
    assert roc_auc(scores, positive) == pytest.approx(
        roc_auc_score(positive, scores))


def test_roc_auc_is_undefined_with_one_class():
    assert roc_auc(np.arange(3.), np.ones(3, bool)) is None


def test_trust_scores_precision_and_recall_of_the_flagged_clips():
    relevant = np.array([True, True, True, False, False])
    trust = np.array([0.9, 0.8, 0.1, 0.2, 0.05])
    flagged = trust < 0.15
    out = trust_scores(trust, relevant, flagged)
    assert out['auc'] == pytest.approx(5 / 6)
    assert out['irrelevant'] == pytest.approx(0.4)
    assert out['flagged'] == pytest.approx(0.4)
    assert out['precision'] == pytest.approx(0.5)
    assert out['recall'] == pytest.approx(0.5)
    with pytest.raises(ValueError, match='finite'):
        trust_scores(np.array([np.nan, 1.0]), np.array([True, False]))
