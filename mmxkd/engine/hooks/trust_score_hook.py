# Copyright (c) mmxkd contributors. All rights reserved.
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional

import numpy as np
from mmengine.dist import all_gather_object, is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmxkd.evaluation import trust_scores
from mmxkd.fileio import TRUST_FILE, load_trust_entries, save_json
from mmxkd.registry import HOOKS


@HOOKS.register_module()
class TrustScoreHook(Hook):
    """Score, after each training epoch, every head's per-clip trust in the
    teacher against the truth: whether each clip's sound is its own.

    After each iteration it reads the ``clip_trust`` signals of every
    distillation head (:class:`~mmxkd.models.heads.BaseDistillHead`; heads
    without any are skipped, so the hook does nothing for the student alone
    or plain KD) and the ``sound_relevant`` flag of each data sample
    (:class:`~mmxkd.datasets.AudioVisualDataset`). At the epoch's end, with
    the clips of every rank, it computes for each signal
    :func:`~mmxkd.evaluation.trust_scores`: the ROC-AUC of the trust for
    the relevant clips and, for the signal ``trust`` of a head that reports
    the clips it kept (``clip_kept``), the share of clips it flagged (did
    not keep) and their precision and recall for the irrelevant clips. The
    figures go to the log, to the visualizer's scalars (step = epoch) and
    to ``<work_dir>/trust.json``, one entry per epoch. Keys:
    ``trust/auc``, ``trust/precision``, ``trust/recall``, ``trust/flagged``,
    ``trust/irrelevant`` for the signal ``trust``, ``trust/<signal>_auc``
    for the others; with several heads exposing trust, ``trust/<head>.``
    prefixes them.
    """

    priority = 'LOW'

    def __init__(self) -> None:
        self._trust: Dict[str, List[np.ndarray]] = defaultdict(list)
        self._flagged: Dict[str, List[np.ndarray]] = defaultdict(list)
        self._relevant: List[np.ndarray] = []

    def before_train_epoch(self, runner) -> None:
        self._trust.clear()
        self._flagged.clear()
        self._relevant = []

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        heads = self._trust_heads(runner)
        samples = (data_batch or {}).get('data_samples') or []
        if not heads or not samples or not all('sound_relevant' in s
                                               for s in samples):
            return
        self._relevant.append(
            np.array([bool(s.sound_relevant) for s in samples]))
        prefix = len(heads) > 1
        for name, head in heads.items():
            for signal, values in head.clip_trust.items():
                key = f'{name}.{signal}' if prefix else signal
                trust = values.detach().float().cpu().numpy()
                if trust.shape != (len(samples), ):
                    raise ValueError(
                        f'TrustScoreHook: model.heads.{name}.clip_trust'
                        f'["{signal}"] has shape {trust.shape}, expected '
                        f'({len(samples)}, ) (one value per clip)')
                self._trust[key].append(trust)
                if signal == 'trust' and head.clip_kept is not None:
                    self._flagged[key].append(
                        ~head.clip_kept.detach().cpu().numpy().astype(bool))

    def after_train_epoch(self, runner) -> None:
        gathered = all_gather_object(
            (dict(self._trust), dict(self._flagged), self._relevant))
        if not any(relevant for _, _, relevant in gathered):
            return
        relevant = np.concatenate([r for _, _, part in gathered for r in part])
        scalars: Dict[str, float] = {}
        for key in gathered[0][0]:
            trust = np.concatenate(
                [t for part, _, _ in gathered for t in part[key]])
            flagged = None
            if key in gathered[0][1]:
                flagged = np.concatenate(
                    [f for _, part, _ in gathered for f in part.get(key, [])])
                if len(flagged) != len(trust):  # kept on some steps only
                    flagged = None
            head, _, signal = key.rpartition('.')
            prefix = f'trust/{head}.' if head else 'trust/'
            for metric, value in trust_scores(trust, relevant,
                                              flagged).items():
                if signal == 'trust':
                    scalars[f'{prefix}{metric}'] = value
                elif metric == 'auc':
                    scalars[f'{prefix}{signal}_auc'] = value
        epoch = runner.epoch + 1
        runner.logger.info(f'Epoch(train) [{epoch}] trust in the teacher '
                           'against the truth (sound_relevant): ' +
                           '  '.join(f'{k}: {v:.4f}'
                                     for k, v in scalars.items()))
        runner.visualizer.add_scalars(scalars, step=epoch)
        if is_main_process():
            self._save(runner.work_dir, epoch, scalars)

    @staticmethod
    def _trust_heads(runner) -> Dict[str, object]:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        heads = getattr(model, 'distill_heads', None) or {}
        return {name: head for name, head in heads.items()
                if getattr(head, 'clip_trust', None)}

    @staticmethod
    def _save(work_dir: str, epoch: int, scalars: Dict[str, float]) -> None:
        """Write this epoch's entry into ``trust.json``, keeping the earlier
        epochs' (a resumed run continues the file)."""
        path = osp.join(work_dir, TRUST_FILE)
        entries = []
        if osp.isfile(path):
            entries = [
                e for e in load_trust_entries(path) if e['epoch'] < epoch
            ]
        entries.append(dict(epoch=epoch, **scalars))
        save_json(path, entries, indent=1)
