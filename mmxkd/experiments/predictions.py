# Copyright (c) mmxkd contributors. All rights reserved.
"""Scores read back from the test predictions of a run."""
from typing import Dict

import numpy as np


def prediction_scores(dump_file: str, num_classes: int) -> Dict[str, object]:
    """Accuracies from the predictions that ``tools/test.py --dump
    <file>.npz`` wrote.

    Args:
        dump_file: The ``.npz`` file (``pred_score`` (N, C), ``gt_label``
            (N, L)); read without unpickling anything.
        num_classes: The number of classes.

    Returns:
        ``top1`` and ``top5`` accuracy, and ``per_class``: the top-1
        accuracy of each class (NaN for a class without samples).

    Raises:
        ValueError: ``dump_file`` is not an ``.npz`` file (a pickle is
            refused unread: loading one can run code), or lacks the arrays.
    """
    if not dump_file.endswith('.npz'):
        raise ValueError(
            f'{dump_file}: predictions are read only from .npz files; a '
            'pickle (.pkl) is never loaded, since loading one can run code. '
            'Write them again with tools/test.py CONFIG CHECKPOINT --dump '
            'predictions.npz')
    try:
        with np.load(dump_file, allow_pickle=False) as data:
            pred = np.asarray(data['pred_score'], dtype=np.float64)
            gt = np.asarray(data['gt_label']).reshape(len(pred), -1)[:, 0]
    except (KeyError, ValueError, OSError) as err:
        raise ValueError(
            f'{dump_file}: not a predictions file of tools/test.py --dump '
            f'(pred_score, gt_label without pickled objects): {err}') from err
    top5 = np.argsort(-pred, axis=1)[:, :5]
    per_class = [
        float((pred[gt == c].argmax(1) == c).mean()) if (gt == c).any() else
        float('nan') for c in range(num_classes)
    ]
    return dict(
        top1=float((pred.argmax(1) == gt).mean()),
        top5=float((top5 == gt[:, None]).any(1).mean()),
        per_class=per_class)
