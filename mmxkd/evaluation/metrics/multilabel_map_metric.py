# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from torch import Tensor

from mmxkd.registry import METRICS

LabelType = Union[Tensor, np.ndarray, Sequence[int], int]


def label_to_indices(label: LabelType,
                     num_classes: Optional[int] = None) -> Tensor:
    """Positive class indices of a label.

    A floating-point or boolean tensor (or array) is a multi-hot vector of
    shape (C, ), positive where > 0 (MMAction2's ``multi_class`` datasets
    give float one-hot labels); anything else (an int, a sequence of ints,
    an integer tensor such as the (1, ) tensor of MMAction2's
    ``format_label``) lists the class indices.

    Args:
        label (Tensor | np.ndarray | Sequence[int] | int): The label.
        num_classes (int, optional): When given, a multi-hot label must have
            this length and indices must lie in ``[0, num_classes)``.

    Returns:
        Tensor: (K, ) int64 class indices, K >= 0.
    """
    if not isinstance(label, (Tensor, np.ndarray)):
        indices = torch.as_tensor(label, dtype=torch.long).flatten()
    else:
        label = torch.as_tensor(label)
        if not (label.is_floating_point() or label.dtype == torch.bool):
            indices = label.flatten().long()
        elif label.ndim != 1 or (num_classes is not None
                                 and label.numel() != num_classes):
            raise ValueError('a multi-hot label must have shape '
                             f'({num_classes or "C"}, ), got '
                             f'{tuple(label.shape)}')
        else:
            indices = (label > 0).nonzero().flatten()
    if num_classes is not None and len(indices) and (
            indices.min() < 0 or indices.max() >= num_classes):
        raise ValueError(f'class indices {indices.tolist()} out of range '
                         f'for {num_classes} classes')
    return indices


def average_precision(scores: Tensor, targets: Tensor) -> float:
    """Average precision of a ranking, tied scores forming one threshold.

    ``AP = sum_t (R_t - R_{t-1}) P_t`` over the distinct scores ``t`` in
    decreasing order, ``P_t`` and ``R_t`` being the precision and recall of
    the items scored >= ``t``. Tied items are counted together, so the value
    does not depend on their order; without ties it is the mean, over the
    positives, of the precision at their rank (as scikit-learn's
    ``average_precision_score``).

    Args:
        scores (Tensor): (N, ) scores, higher ranks first.
        targets (Tensor): (N, ) bool or 0/1, with at least one positive.

    Returns:
        float: The average precision in [0, 1].
    """
    targets = targets.double()
    num_pos = targets.sum()
    if num_pos == 0:
        raise ValueError('average precision needs at least one positive')
    scores, order = scores.double().sort(descending=True, stable=True)
    true_pos = targets[order].cumsum(0)
    # the last item of each run of equal scores closes a threshold
    last = torch.cat([(scores[1:] != scores[:-1]).nonzero().flatten(),
                      torch.tensor([len(scores) - 1])])
    true_pos = true_pos[last]
    precision = true_pos / (last + 1)
    recall_gain = torch.diff(true_pos, prepend=true_pos.new_zeros(1)) / num_pos
    return float((precision * recall_gain).sum())


@METRICS.register_module()
class MultiLabelMAPMetric(BaseMetric):
    """Mean average precision of multi-label (tagging) predictions, e.g. the
    paper's audio tagging.

    Each data sample (dict form) carries ``pred_score`` (C, ) and
    ``gt_label``: a multi-hot (C, ) float or bool tensor, or class indices
    (a list or an integer tensor; see :func:`label_to_indices`).

    Reports ``mAP``, the mean over the classes with at least one positive
    sample of their average precision over the samples (macro), and
    ``micro_mAP``, the average precision of all (sample, class) pairs ranked
    together. Both are computed exactly from the ranking, tied scores
    counting as one threshold (:func:`average_precision`), in [0, 1].

    Args:
        collect_device (str): Device to gather results across ranks, 'cpu'
            or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'tagging'``.
        collect_dir (str, optional): Directory for gathering results with
            ``collect_device='cpu'``. Defaults to None.
    """
    default_prefix: Optional[str] = 'tagging'

    def process(self, data_batch: Optional[dict],
                data_samples: Sequence[dict]) -> None:
        """Store the scores and multi-hot targets of a batch.

        Args:
            data_batch (dict, optional): The data batch (unused).
            data_samples (Sequence[dict]): Predictions with ``pred_score``
                (C, ) and ``gt_label``.
        """
        for sample in data_samples:
            for key in ('pred_score', 'gt_label'):
                if key not in sample:
                    raise KeyError(f'{self.__class__.__name__}: a data sample '
                                   f'has no "{key}"')
            score = torch.as_tensor(sample['pred_score']).detach().cpu()
            if score.ndim != 1:
                raise ValueError('pred_score must have shape (C, ), got '
                                 f'{tuple(score.shape)}')
            target = torch.zeros(len(score), dtype=torch.bool)
            target[label_to_indices(sample['gt_label'], len(score))] = True
            self.results.append(dict(score=score.double(), target=target))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Compute the macro and micro mAP.

        Args:
            results (list[dict]): ``score`` (C, ) and ``target`` (C, ) of
                every sample.

        Returns:
            dict[str, float]: ``mAP`` and ``micro_mAP``.
        """
        scores = torch.stack([r['score'] for r in results])
        targets = torch.stack([r['target'] for r in results])
        classes = targets.any(0).nonzero().flatten().tolist()
        if not classes:
            raise ValueError(f'{self.__class__.__name__}: no sample has a '
                             'positive label')
        per_class = [
            average_precision(scores[:, c], targets[:, c]) for c in classes
        ]
        return {
            'mAP': sum(per_class) / len(per_class),
            'micro_mAP': average_precision(scores.flatten(), targets.flatten())
        }
