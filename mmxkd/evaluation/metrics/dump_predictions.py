# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Any, Dict, List, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from mmxkd.fileio import AtomicFile
from mmxkd.registry import METRICS

PREDICTIONS_SUFFIX = '.npz'


@METRICS.register_module()
class DumpPredictions(BaseMetric):
    """Write the test predictions to an ``.npz`` file (no pickle inside, so
    reading it back can run no code), atomically.

    The file holds ``pred_score``: (N, C) float32, the class scores of each
    sample in dataset order, and ``gt_label``: (N, L) int64, each sample's
    class indices padded with -1 (L = 1 for single-label data). Read it with
    ``np.load(path, allow_pickle=False)``.

    Args:
        out_file_path (str): The ``.npz`` file.
        collect_device (str): Where ranks' results are gathered, ``'cpu'``
            or ``'gpu'``. Defaults to ``'cpu'``.

    Raises:
        ValueError: ``out_file_path`` does not end with ``.npz``.
    """
    default_prefix = 'dump'

    def __init__(self,
                 out_file_path: str,
                 collect_device: str = 'cpu') -> None:
        super().__init__(collect_device=collect_device)
        if not str(out_file_path).endswith(PREDICTIONS_SUFFIX):
            raise ValueError(
                f'DumpPredictions: out_file_path must end with '
                f'{PREDICTIONS_SUFFIX}, got {out_file_path!r}')
        self.out_file_path = str(out_file_path)

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Keep each sample's scores and labels (on the CPU).

        Args:
            data_batch: Unused.
            data_samples: The model's outputs, as dicts with ``pred_score``
                (C, ) and ``gt_label`` (class indices).
        """
        for sample in data_samples:
            labels = np.asarray(
                _numpy(sample['gt_label']), dtype=np.int64).reshape(-1)
            self.results.append(
                (np.asarray(_numpy(sample['pred_score']),
                            dtype=np.float32).reshape(-1), labels))

    def compute_metrics(self, results: List[tuple]) -> Dict[str, float]:
        """Write the file; no metric is returned."""
        scores = np.stack([score for score, _ in results])
        width = max(len(labels) for _, labels in results)
        labels = np.full((len(results), width), -1, dtype=np.int64)
        for i, (_, label) in enumerate(results):
            labels[i, :len(label)] = label
        with AtomicFile(self.out_file_path) as tmp, open(tmp, 'wb') as f:
            np.savez(f, pred_score=scores, gt_label=labels)
        print_log(f'predictions written to {self.out_file_path}',
                  logger='current')
        return {}


def _numpy(value: Any) -> np.ndarray:
    """A tensor or array-like as a NumPy array."""
    return value.cpu().numpy() if hasattr(value, 'cpu') else np.asarray(value)
