# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, Optional

import numpy as np


def roc_auc(scores: np.ndarray, positive: np.ndarray) -> Optional[float]:
    """Area under the ROC curve of ``scores`` for the ``positive`` samples:
    the probability that a random positive scores above a random negative,
    ties counting one half (the Mann-Whitney statistic).

    Args:
        scores (np.ndarray): (N, ) finite scores, higher = more positive.
        positive (np.ndarray): (N, ) bool.

    Returns:
        The AUC, or None when every sample is positive or every one negative.
    """
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    if scores.shape != positive.shape or scores.ndim != 1:
        raise ValueError('scores and positive must both be (N, ), got '
                         f'{scores.shape} and {positive.shape}')
    num_pos = int(positive.sum())
    num_neg = len(positive) - num_pos
    if num_pos == 0 or num_neg == 0:
        return None
    order = np.argsort(scores, kind='mergesort')
    sorted_scores = scores[order]
    ranks = np.empty(len(scores), dtype=np.float64)
    # average ranks (1-based) over runs of tied scores
    starts = np.flatnonzero(np.r_[True, np.diff(sorted_scores) != 0])
    ends = np.r_[starts[1:], len(scores)]
    for start, end in zip(starts, ends):
        ranks[order[start:end]] = (start + end + 1) / 2
    rank_sum = ranks[positive].sum()
    pairs = num_pos * num_neg
    return float((rank_sum - num_pos * (num_pos + 1) / 2) / pairs)


def trust_scores(trust: np.ndarray,
                 relevant: np.ndarray,
                 flagged: Optional[np.ndarray] = None) -> Dict[str, float]:
    """How well per-clip trust in the teacher finds the clips whose sound is
    irrelevant.

    Args:
        trust (np.ndarray): (N, ) trust per clip, higher = more trusted.
        relevant (np.ndarray): (N, ) bool, the truth: the clip's sound is
            its own.
        flagged (np.ndarray, optional): (N, ) bool, the clips the head
            flagged at its own threshold (trust below it: their teacher is
            dropped).

    Returns:
        ``auc`` (ROC-AUC of trust for the relevant clips; absent when every
        clip is relevant or every one irrelevant), ``irrelevant`` (their
        share) and, with ``flagged``, ``flagged`` (the share of clips
        flagged), ``precision`` (of the flagged clips, the share truly
        irrelevant) and ``recall`` (of the irrelevant clips, the share
        flagged), each absent where it is undefined.
    """
    trust = np.asarray(trust, dtype=np.float64)
    relevant = np.asarray(relevant, dtype=bool)
    if len(trust) == 0:
        return {}
    if not np.isfinite(trust).all():
        raise ValueError('trust_scores: every trust value must be finite')
    out: Dict[str, float] = dict(irrelevant=float((~relevant).mean()))
    auc = roc_auc(trust, relevant)
    if auc is not None:
        out['auc'] = auc
    if flagged is not None:
        flagged = np.asarray(flagged, dtype=bool)
        out['flagged'] = float(flagged.mean())
        if flagged.any():
            out['precision'] = float((~relevant[flagged]).mean())
        if (~relevant).any():
            out['recall'] = float(flagged[~relevant].mean())
    return out
