# Copyright (c) mmxkd contributors. All rights reserved.
import math
from typing import List, Optional, Sequence

import pytest
import torch
import torch.nn as nn
from mmaction.structures import ActionDataSample
from mmcv.transforms import BaseTransform
from mmengine.config import Config
from mmengine.dataset import BaseDataset
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.runner import Runner

from mmxkd.engine import RetrievalTestLoop
from mmxkd.registry import DATASETS, HOOKS, MODELS, TRANSFORMS

pytestmark = pytest.mark.integration

# the gallery and queries of tests/evaluation/test_video_retrieval_metric.py:
# gallery at 0, 20, 40, 60, 80 degrees with classes 0, 1, 0, 1, 2; queries
# (0 deg, class 0) -> AP 5/6, (80 deg, class 1) -> AP 1/2 and (40 deg,
# class 3) without relevant item
GALLERY = dict(angles=[0, 20, 40, 60, 80], labels=[0, 1, 0, 1, 2])
QUERIES = dict(angles=[0, 80, 40], labels=[0, 1, 3])
EXPECTED = {
    'retrieval/mAP': (5 / 6 + 1 / 2) / 2,
    'retrieval/R@1': 1 / 2,
    'retrieval/R@2': 1.,
    'retrieval/num_queries_without_relevant': 1,
}


@DATASETS.register_module(name='RetrievalToyDataset', force=True)
class RetrievalToyDataset(BaseDataset):
    """Clips given by an angle (their 2-d feature) and a class."""

    def __init__(self, angles: Sequence[float], labels: Sequence[int],
                 **kwargs) -> None:
        self.angles, self.labels = angles, labels
        super().__init__(serialize_data=False, **kwargs)

    def load_data_list(self) -> List[dict]:
        return [
            dict(angle=angle, label=label)
            for angle, label in zip(self.angles, self.labels)
        ]


@TRANSFORMS.register_module(name='RetrievalToyPack', force=True)
class RetrievalToyPack(BaseTransform):
    """Unit-length 2-d feature at the clip's angle, and its label."""

    def transform(self, results: dict) -> dict:
        rad = math.radians(results['angle'])
        return dict(
            inputs=torch.tensor([math.cos(rad), math.sin(rad)]),
            data_samples=ActionDataSample().set_gt_label(results['label']))


@TRANSFORMS.register_module(name='RetrievalToyTurn', force=True)
class RetrievalToyTurn(BaseTransform):
    """Training-only: a gallery loaded with it would rank in reverse."""

    def transform(self, results: dict) -> dict:
        return dict(results, angle=results['angle'] + 180)


@MODELS.register_module(name='RetrievalToyModel', force=True)
class RetrievalToyModel(BaseModel):
    """Its feature is its input times ``scale``."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self,
                inputs: List[torch.Tensor],
                data_samples: Optional[List[ActionDataSample]] = None,
                mode: str = 'tensor'):
        feats = torch.stack(inputs) * self.scale
        if mode != 'predict':
            return feats
        for sample, feat in zip(data_samples, feats):
            sample.set_field(feat, 'pred_feat')
        return data_samples


@HOOKS.register_module(name='RetrievalToyHook', force=True)
class RetrievalToyHook(Hook):
    """Flips the sign of the model's weight for the evaluation, as EMAHook
    swaps weights (a gallery computed before it would rank in reverse), and
    counts the evaluation iterations its hooks see."""

    def __init__(self) -> None:
        self.iters = 0

    def _flip(self, runner, metrics: Optional[dict] = None) -> None:
        runner.model.scale.data.neg_()

    def _count(self, runner, batch_idx, data_batch=None, outputs=None):
        self.iters += 1

    before_val_epoch = before_test_epoch = _flip
    after_val_epoch = after_test_epoch = _flip
    after_val_iter = after_test_iter = _count


def _loader(split: dict,
            pipeline: List[str],
            shuffle: bool = False,
            **dataset_args) -> dict:
    return dict(
        batch_size=2,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(
            type='RetrievalToyDataset',
            pipeline=[dict(type=t) for t in pipeline],
            **split,
            **dataset_args))


def _runner(tmp_path, stage: str, **loop_args) -> Runner:
    cfg = dict(
        model=dict(type='RetrievalToyModel'),
        work_dir=str(tmp_path),
        experiment_name=f'retrieval_{tmp_path.name}',
        default_scope='mmxkd',
        log_level='WARNING',
        custom_hooks=[dict(type='RetrievalToyHook')],
        train_dataloader=_loader(
            GALLERY, ['RetrievalToyTurn', 'RetrievalToyPack'], shuffle=True),
        train_cfg=dict(by_epoch=True, max_epochs=1),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)))
    cfg[f'{stage}_dataloader'] = _loader(
        QUERIES, ['RetrievalToyPack'], test_mode=True)
    cfg[f'{stage}_cfg'] = dict(
        type=f'Retrieval{stage.capitalize()}Loop', **loop_args)
    cfg[f'{stage}_evaluator'] = dict(type='VideoRetrievalMetric', topk=(1, 2))
    return Runner.from_cfg(Config(cfg))


@pytest.mark.parametrize('stage', ['val', 'test'])
def test_explicit_gallery(tmp_path, stage):
    runner = _runner(
        tmp_path,
        stage,
        gallery_dataloader=_loader(GALLERY, ['RetrievalToyPack']))
    assert getattr(runner, stage)() == pytest.approx(EXPECTED)
    # 2 query batches; the 3 gallery batches call no hook
    hook = next(h for h in runner.hooks if isinstance(h, RetrievalToyHook))
    assert hook.iters == 2
    # every evaluation runs its own gallery pass
    assert getattr(runner, stage)() == pytest.approx(EXPECTED)


def test_default_gallery_is_train_split_with_eval_pipeline(tmp_path):
    runner = _runner(tmp_path, 'test')
    assert runner.test() == pytest.approx(EXPECTED)
    loop = runner.test_loop
    assert isinstance(loop, RetrievalTestLoop)
    gallery = loop.gallery_dataloader
    assert len(gallery.dataset) == 5 and gallery.dataset.test_mode
    assert not gallery.sampler.shuffle


def test_default_gallery_reads_in_order_whatever_the_training_sampler(
        tmp_path):
    """A training sampler with keys of its own (batches of same-class
    pairs) does not reach the gallery's DefaultSampler."""
    runner = _runner(tmp_path, 'test')
    runner.cfg.train_dataloader.sampler = dict(
        type='ClassBalancedSampler', batch_size=2, clips_per_class=2)
    runner = Runner.from_cfg(runner.cfg)
    assert runner.test() == pytest.approx(EXPECTED)
    assert not runner.test_loop.gallery_dataloader.sampler.shuffle


def test_needs_a_gallery_metric(tmp_path):
    cfg = _runner(tmp_path, 'test').cfg
    cfg.test_evaluator = dict(type='AccMetric')
    with pytest.raises(ValueError, match='process_gallery'):
        Runner.from_cfg(cfg).test()
