# Copyright (c) mmxkd contributors. All rights reserved.
"""TrainSetSizeHook sizes per-sample state from the training set, through
a model wrapper too, and does nothing in test-only runs."""
from types import SimpleNamespace

from mmengine.runner import BaseLoop

import mmxkd
from mmxkd.engine import TrainSetSizeHook

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
