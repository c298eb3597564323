# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmengine.dist import collect_results
from mmengine.evaluator import BaseMetric
from torch import Tensor

from mmxkd.registry import METRICS
from .multilabel_map_metric import label_to_indices

# queries ranked at once: bounds the (chunk, gallery) matrices in memory
QUERY_CHUNK = 256


def _multi_hot(labels: List[Tensor], num_classes: int) -> Tensor:
    """(N, num_classes) float multi-hot matrix of lists of class indices."""
    out = torch.zeros(len(labels), num_classes)
    for i, indices in enumerate(labels):
        out[i, indices] = 1.
    return out


@METRICS.register_module()
class VideoRetrievalMetric(BaseMetric):
    """Label-based video-to-video retrieval.

    The queries are the evaluated split (:meth:`process`); the gallery is
    another split (by default the training one) that
    ``RetrievalValLoop``/``RetrievalTestLoop`` run through the model first
    and hand over with :meth:`process_gallery` and :meth:`collect_gallery`.
    Each data sample (dict form) carries ``pred_feat`` (D, ), the
    clip-averaged pooled student feature, and ``gt_label``: (1, ) class
    index, a multi-hot (C, ) float or bool tensor, or class indices (see
    ``label_to_indices``). A gallery item is relevant to a query when they
    share at least one class. The gallery is ranked by cosine similarity,
    ties in gallery order.

    Reported (in [0, 1]):

    - ``mAP``: mean over the queries of the average precision over the whole
      gallery (mean, over the relevant items, of the precision at their
      rank). Queries without any relevant gallery item are skipped, and then
      their number is reported as ``num_queries_without_relevant`` (the key
      is absent when there is none).
    - ``R@k`` for ``k`` in ``topk``: fraction of the queries (the same ones
      as for ``mAP``) with at least one relevant item among the first
      ``min(k, gallery size)``.
    - ``mAP@{k}_reference`` with ``k = reference_topk``, only when set: the
      reference implementation's variant. For each query, the average over
      the relevant items among the top k, at ranks r, of (relevant items in
      ranks 1..r) / r; queries without one are skipped (0 when all are).
      Normalising by the hits found instead of by all relevant items and
      dropping the queries that miss inflates it above ``mAP``: it is only
      for comparison with the reference's numbers.

    Under distributed evaluation ``results`` are gathered by
    ``BaseMetric.evaluate``; :meth:`collect_gallery` gathers the gallery the
    same way (dropping the sampler's padding) onto the main process, the
    only one that computes the metrics (``evaluate`` broadcasts those). The
    gallery is discarded once the metrics are computed.

    Args:
        topk (int | Sequence[int]): The ``k`` of ``R@k``. Defaults to
            ``(1, 5, 10)``.
        reference_topk (int, optional): ``k`` of ``mAP@{k}_reference`` (500
            on UCF, 100 on ActivityNet in the reference). Defaults to None
            (not reported).
        collect_device (str): Device to gather results across ranks, 'cpu'
            or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'retrieval'``.
        collect_dir (str, optional): Directory for gathering results with
            ``collect_device='cpu'``. Defaults to None.
    """
    default_prefix: Optional[str] = 'retrieval'

    def __init__(self,
                 topk: Union[int, Sequence[int]] = (1, 5, 10),
                 reference_topk: Optional[int] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        self.topk = (topk, ) if isinstance(topk, int) else tuple(topk)
        for k in self.topk + (() if reference_topk is None else
                              (reference_topk, )):
            if not isinstance(k, int) or k < 1:
                raise ValueError(f'topk and reference_topk must be positive '
                                 f'ints, got {k!r}')
        self.reference_topk = reference_topk
        self.gallery_results: List[dict] = []
        self._gallery: Optional[List[dict]] = None

    def _entries(self, data_samples: Sequence[dict]) -> List[dict]:
        """Feature (D, ) and class indices of each data sample, on CPU."""
        entries = []
        for sample in data_samples:
            if 'pred_feat' not in sample:
                raise KeyError(
                    f'{self.__class__.__name__}: a data sample has no '
                    '"pred_feat" (the clip-averaged pooled feature): the '
                    'model must attach it in predict mode')
            feat = torch.as_tensor(sample['pred_feat']).detach().cpu()
            if feat.ndim != 1:
                raise ValueError('pred_feat must have shape (D, ), got '
                                 f'{tuple(feat.shape)}')
            entries.append(
                dict(
                    feat=feat.float(),
                    labels=label_to_indices(sample['gt_label'])))
        return entries

    def process(self, data_batch: Optional[dict],
                data_samples: Sequence[dict]) -> None:
        """Store the queries of a batch.

        Args:
            data_batch (dict, optional): The data batch (unused).
            data_samples (Sequence[dict]): Predictions with ``pred_feat``
                (D, ) and ``gt_label``.
        """
        self.results.extend(self._entries(data_samples))

    def process_gallery(self, data_batch: Optional[dict],
                        data_samples: Sequence[dict]) -> None:
        """Store the gallery items of a batch (format of :meth:`process`).

        Args:
            data_batch (dict, optional): The data batch (unused).
            data_samples (Sequence[dict]): Predictions with ``pred_feat``
                (D, ) and ``gt_label``.
        """
        self.gallery_results.extend(self._entries(data_samples))

    def collect_gallery(self, size: int) -> None:
        """Gather the gallery of all ranks onto the main process.

        Args:
            size (int): Length of the gallery dataset; the padding the
                sampler added to even out the ranks is dropped.
        """
        self._gallery = collect_results(
            self.gallery_results,
            size,
            self.collect_device,
            tmpdir=self.collect_dir)
        self.gallery_results.clear()

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Rank the gallery for every query and compute the metrics.

        Args:
            results (list[dict]): ``feat`` (D, ) and ``labels`` (class
                indices) of every query.

        Returns:
            dict[str, float]: ``mAP``, ``R@k`` for each k, and when they
            apply ``num_queries_without_relevant`` and
            ``mAP@{k}_reference``.
        """
        gallery, self._gallery = self._gallery, None
        if not gallery:
            raise RuntimeError(
                f'{self.__class__.__name__} got no gallery: evaluate it with '
                "val_cfg = dict(type='RetrievalValLoop') / test_cfg = "
                "dict(type='RetrievalTestLoop'), which run the gallery "
                '(by default the training split) through the model first; '
                'by hand, call process_gallery() and collect_gallery() '
                'before evaluate()')
        if not results:
            raise ValueError(f'{self.__class__.__name__} got no query')
        labels = [r['labels'] for r in results + gallery]
        num_classes = 1 + max(
            (int(x.max()) for x in labels if len(x)), default=0)
        query_feat = F.normalize(torch.stack([r['feat'] for r in results]))
        query_label = _multi_hot(labels[:len(results)], num_classes)
        gallery_feat = F.normalize(torch.stack([g['feat'] for g in gallery]))
        gallery_label = _multi_hot(labels[len(results):], num_classes)

        ranks = torch.arange(1, len(gallery) + 1, dtype=torch.float64)
        num_valid, ap_sum, ref_count, ref_sum = 0, 0., 0, 0.
        hits = dict.fromkeys(self.topk, 0)
        for start in range(0, len(results), QUERY_CHUNK):
            chunk = slice(start, start + QUERY_CHUNK)
            order = (query_feat[chunk] @ gallery_feat.T).argsort(
                dim=1, descending=True, stable=True)
            relevant = (query_label[chunk] @ gallery_label.T > 0).gather(
                1, order).double()  # (n, gallery) in rank order
            num_relevant = relevant.sum(1)
            precision = relevant.cumsum(1) / ranks
            num_valid += int((num_relevant > 0).sum())
            ap_sum += float((precision * relevant).sum(1).div(
                num_relevant.clamp(min=1)).sum())
            for k in self.topk:
                hits[k] += int(relevant[:, :k].any(1).sum())
            if self.reference_topk is not None:
                top = relevant[:, :self.reference_topk]
                num_top = top.sum(1)
                ref_count += int((num_top > 0).sum())
                ref_sum += float((precision[:, :top.size(1)] * top).sum(1).div(
                    num_top.clamp(min=1)).sum())
        if num_valid == 0:
            raise ValueError(
                f'{self.__class__.__name__}: none of the {len(results)} '
                'queries has a relevant gallery item; the query and gallery '
                'splits must share classes')

        metrics = {'mAP': ap_sum / num_valid}
        metrics.update({f'R@{k}': hits[k] / num_valid for k in self.topk})
        if num_valid < len(results):
            metrics['num_queries_without_relevant'] = len(results) - num_valid
        if self.reference_topk is not None:
            metrics[f'mAP@{self.reference_topk}_reference'] = (
                ref_sum / max(ref_count, 1))
        return metrics
