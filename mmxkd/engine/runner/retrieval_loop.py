# Copyright (c) mmxkd contributors. All rights reserved.
import copy
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.evaluator import Evaluator
from mmengine.runner import TestLoop, ValLoop
from mmengine.runner.amp import autocast
from mmengine.structures import BaseDataElement
from torch.utils.data import DataLoader

from mmxkd.registry import LOOPS

# AudioVisualDataset options that the gallery (a train split read as a test
# split) drops
TRAINING_ONLY = ('labelled_ratio', 'labelled_seed', 'swap_sound_ratio',
                 'swap_sound_seed')


class _GalleryPassMixin:
    """Runs a gallery split through the model for the metrics that have
    ``process_gallery`` (e.g. ``VideoRetrievalMetric``), ahead of the first
    query batch of every evaluation.

    The pass comes after the ``before_{val,test}_epoch`` hooks and
    ``model.eval()`` of the parent's ``run`` (so a hook that swaps weights,
    such as ``EMAHook``, acts on the gallery as on the queries); no hook is
    called for the gallery batches, and the first query iteration's logged
    time includes the pass. ``_step`` names the model's step method.
    """
    _step: str

    def __init__(
            self,
            runner,
            dataloader: Union[DataLoader, Dict],
            evaluator: Union[Evaluator, Dict, List],
            fp16: bool = False,
            gallery_dataloader: Optional[Union[DataLoader,
                                               Dict]] = None) -> None:
        super().__init__(runner, dataloader, evaluator, fp16)
        self.gallery_metrics = [
            metric for metric in self.evaluator.metrics
            if hasattr(metric, 'process_gallery')
        ]
        if not self.gallery_metrics:
            raise ValueError(
                f'{self.__class__.__name__} needs a metric with a gallery '
                '(process_gallery), e.g. VideoRetrievalMetric')
        if gallery_dataloader is None:
            gallery_dataloader = self._default_gallery_cfg()
        if isinstance(gallery_dataloader, dict):
            gallery_dataloader = runner.build_dataloader(
                gallery_dataloader, seed=runner.seed)
        self.gallery_dataloader = gallery_dataloader
        self._gallery_pending = False

    def _default_gallery_cfg(self) -> dict:
        """The runner's ``train_dataloader`` config with the evaluated
        dataset's pipeline, ``test_mode=True`` and an unshuffled sampler,
        without the options that only shape training: the gallery keeps
        every clip's label (``labelled_ratio``) and needs no sound
        (``swap_sound_ratio``, and dataset wrappers such as
        ``IrrelevantSoundDataset``: the innermost dataset is read)."""
        train_cfg = copy.deepcopy(self.runner.cfg.get('train_dataloader'))
        if train_cfg:
            train_cfg['dataset'] = _unwrapped(train_cfg.get('dataset', {}))
        if not train_cfg or 'pipeline' not in train_cfg['dataset']:
            raise ValueError(
                f'{self.__class__.__name__}: without gallery_dataloader, '
                'the gallery is the train split, which needs the config\'s '
                'train_dataloader with a dataset that has a pipeline; give '
                'gallery_dataloader instead')
        pipeline = getattr(self.dataloader.dataset, 'pipeline', None)
        if pipeline is None:
            raise ValueError(
                f'{self.__class__.__name__}: the evaluated dataset '
                f'{type(self.dataloader.dataset).__name__} has no pipeline '
                'to load the default gallery with; give gallery_dataloader')
        cfg = train_cfg
        for key in TRAINING_ONLY:
            cfg['dataset'].pop(key, None)
        cfg['dataset'].update(
            pipeline=list(pipeline.transforms), test_mode=True)
        # replaced, not merged: a training sampler's own keys (e.g.
        # ClassBalancedSampler's batch_size) would reach DefaultSampler
        cfg['sampler'] = dict(type='DefaultSampler', shuffle=False)
        cfg['drop_last'] = False
        return cfg

    def run(self) -> dict:
        """Launch the evaluation, gallery pass included.

        Returns:
            dict: The metrics of the evaluator.
        """
        self._gallery_pending = True
        return super().run()

    def run_iter(self, idx: int, data_batch: Sequence[dict]) -> None:
        """Iterate one query mini-batch, after the gallery pass for the
        first one.

        Args:
            idx (int): Index of the batch.
            data_batch (Sequence[dict]): Batch of data from the dataloader.
        """
        if self._gallery_pending:
            self._gallery_pending = False
            self._run_gallery()
        super().run_iter(idx, data_batch)

    @torch.no_grad()
    def _run_gallery(self) -> None:
        """Feed the gallery predictions to the gallery metrics, then gather
        them across ranks."""
        step = getattr(self.runner.model, self._step)
        for data_batch in self.gallery_dataloader:
            with autocast(enabled=self.fp16):
                outputs = step(data_batch)
            if (isinstance(outputs[-1], BaseDataElement)
                    and outputs[-1].keys() == ['loss']):
                outputs = outputs[:-1]  # the losses some models append
            data_samples = [
                output.to_dict()
                if isinstance(output, BaseDataElement) else output
                for output in outputs
            ]
            for metric in self.gallery_metrics:
                metric.process_gallery(data_batch, data_samples)
        for metric in self.gallery_metrics:
            metric.collect_gallery(len(self.gallery_dataloader.dataset))


@LOOPS.register_module()
class RetrievalValLoop(_GalleryPassMixin, ValLoop):
    """Validation loop that also runs a gallery split through the model
    (``model.val_step``), for ``VideoRetrievalMetric``.

    Args:
        runner (Runner): A reference of runner.
        dataloader (DataLoader | dict): The queries' dataloader or its
            config.
        evaluator (Evaluator | dict | list): Its metrics; at least one has
            ``process_gallery``.
        fp16 (bool): Whether to run under autocast. Defaults to False.
        gallery_dataloader (DataLoader | dict, optional): The gallery's
            dataloader or its config. Defaults to None: the config's
            ``train_dataloader`` (the train split) with the evaluated
            dataset's pipeline, ``test_mode=True``, ``drop_last=False`` and
            ``DefaultSampler(shuffle=False)``.
    """
    _step = 'val_step'


@LOOPS.register_module()
class RetrievalTestLoop(_GalleryPassMixin, TestLoop):
    """Test loop that also runs a gallery split through the model
    (``model.test_step``), for ``VideoRetrievalMetric``; its arguments are
    those of :class:`RetrievalValLoop`."""
    _step = 'test_step'


def _unwrapped(dataset_cfg: dict) -> dict:
    """The innermost dataset config of dataset wrappers (a config without a
    pipeline that holds a ``dataset``)."""
    while 'pipeline' not in dataset_cfg and isinstance(
            dataset_cfg.get('dataset'), dict):
        dataset_cfg = dataset_cfg['dataset']
    return dataset_cfg
