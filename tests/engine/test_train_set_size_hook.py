# Copyright (c) mmxkd contributors. All rights reserved.
"""TrainSetSizeHook sizes per-sample state from the training set, through
a model wrapper too, and does nothing in test-only runs; CRD end to end."""
import os.path as osp
import sys
from types import SimpleNamespace

import pytest
import torch
from mmengine.runner import BaseLoop

import mmxkd
from mmxkd.engine import TrainSetSizeHook
from ..conftest import ROOT, data_options, run_tool

mmxkd.register_all_modules()


class _Model:

    def __init__(self) -> None:
        self.sizes = []

    def set_train_size(self, num_samples: int) -> None:
        self.sizes.append(num_samples)


class _Loop(BaseLoop):

    def __init__(self, dataset) -> None:
        self.dataloader = SimpleNamespace(dataset=dataset)

    def run(self) -> None:
        pass


def test_sizes_the_model_from_the_train_dataset():
    model = _Model()
    loop = _Loop(list(range(37)))
    runner = SimpleNamespace(
        _train_loop=loop, model=model, train_dataloader=loop.dataloader)
    TrainSetSizeHook().before_run(runner)
    assert model.sizes == [37]


def test_unwraps_ddp_like_wrappers(monkeypatch):
    import mmxkd.engine.hooks.train_set_size_hook as hook_module
    model = _Model()
    wrapper = SimpleNamespace(module=model)
    monkeypatch.setattr(hook_module, 'is_model_wrapper',
                        lambda m: m is wrapper)
    loop = _Loop(list(range(5)))
    runner = SimpleNamespace(
        _train_loop=loop, model=wrapper, train_dataloader=loop.dataloader)
    TrainSetSizeHook().before_run(runner)
    assert model.sizes == [5]


def test_nothing_in_a_test_only_run():
    model = _Model()
    runner = SimpleNamespace(_train_loop=dict(type='EpochBasedTrainLoop'),
                             model=model)
    TrainSetSizeHook().before_run(runner)
    assert model.sizes == []


CRD_CFG = '''
_base_ = [
    '{root}/configs/student_only/student_r2plus1d-tiny_1xb8-20e_synthetic-av.py',
    '{root}/configs/_base_/distill/crd.py'
]
model = dict(
    teacher=dict(type='PrecomputedTeacher', feat_dim={{{{_base_.teacher_feat_dim}}}}),
    heads={{{{_base_.distill_heads}}}})
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{{{_base_.teacher_root}}}}),
        pipeline={{{{_base_.distill_train_pipeline}}}}))
'''


@pytest.mark.integration
def test_crd_banks_follow_the_training_set_through_train_py(
        synthetic_data, tmp_path):
    """No config names the training set's size: CRD trains on any split."""
    config = tmp_path / 'crd_synthetic.py'
    config.write_text(CRD_CFG.format(root=ROOT))
    work_dir = tmp_path / 'run'
    proc = run_tool([
        sys.executable, 'tools/train.py', str(config), '--work-dir',
        str(work_dir), '--cfg-options', 'train_cfg.max_epochs=1',
        'model.heads.crd.loss_crd.num_negatives=8'
    ] + data_options(synthetic_data))
    assert 'loss_crd' in proc.stdout + proc.stderr
    state = torch.load(work_dir / 'epoch_1.pth', map_location='cpu',
                       weights_only=False)['state_dict']
    with open(osp.join(synthetic_data, 'train.txt')) as f:
        num_train = len(f.readlines())
    assert state['distill_heads.crd.loss_crd.memory_student'].shape == (
        num_train, 128)
