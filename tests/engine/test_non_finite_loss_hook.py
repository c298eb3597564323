# Copyright (c) mmxkd contributors. All rights reserved.
"""NonFiniteLossHook stops a train step at a NaN/inf loss term before the
optimizer step, naming the term, the iteration and the batch's files, and
refuses to save non-finite weights."""
from types import SimpleNamespace
from typing import List, Optional

import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper
from mmengine.structures import BaseDataElement

from mmxkd.engine import NonFiniteLossError, NonFiniteLossHook


class _Model(BaseModel):
    """A linear model whose loss term ``loss_b`` is scaled by ``scale``."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(2, 1)
        self.scale = 1.0

    def forward(self, inputs: torch.Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'tensor'):
        out = self.fc(inputs).abs().mean()
        if mode == 'loss':
            return dict(loss_a=out, loss_b=out * self.scale,
                        acc=torch.tensor(float('nan')))
        return [out]


def _samples(filenames: List[Optional[str]]) -> List[BaseDataElement]:
    samples = []
    for idx, name in enumerate(filenames):
        sample = BaseDataElement(sample_idx=idx)
        if name is not None:
            sample.set_metainfo(dict(filename=name))
        samples.append(sample)
    return samples


def _setup(dataset_files: List[str]):
    model = _Model()
    dataset = SimpleNamespace(
        get_data_info=lambda idx: dict(filename=dataset_files[idx]))
    runner = SimpleNamespace(
        model=model, iter=6, epoch=1, work_dir='/runs/x',
        train_dataloader=SimpleNamespace(dataset=dataset))
    hook = NonFiniteLossHook()
    hook.before_train(runner)
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    return model, hook, runner, optim


def test_stops_before_the_optimizer_step():
    model, hook, _, optim = _setup(['from_index.mp4', 'b.mp4'])
    data = dict(inputs=torch.ones(2, 2), data_samples=_samples(['a.mp4', None]))
    model.train_step(data, optim)  # finite: a step, and a NaN 'acc' ignored
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model.scale = float('inf')
    with pytest.raises(NonFiniteLossError) as error:
        model.train_step(data, optim)
    message = str(error.value)
    assert 'loss_b=inf' in message and 'loss_a' not in message
    assert 'iteration 7 (epoch 2)' in message
    assert 'batch files: a.mp4, b.mp4' in message  # metainfo, else index
    assert 'no checkpoint was saved in /runs/x yet' in message
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_predict_mode_and_after_train_are_unchecked():
    model, hook, runner, optim = _setup([])
    model.scale = float('nan')
    model(torch.ones(1, 2), mode='predict')
    hook.after_train(runner)
    model.train_step(dict(inputs=torch.ones(1, 2), data_samples=[]), optim)


def test_refuses_to_save_non_finite_weights(tmp_path):
    hook = NonFiniteLossHook()
    runner = SimpleNamespace(iter=8, epoch=1, work_dir=str(tmp_path))
    (tmp_path / 'last_checkpoint').write_text('/runs/x/epoch_1.pth')
    state = dict(w=torch.ones(2), steps=torch.tensor(3))
    hook.before_save_checkpoint(runner, dict(state_dict=state))
    state['b'] = torch.tensor([0.0, float('nan')])
    with pytest.raises(NonFiniteLossError,
                       match=r'weights at iteration 8.*: b;.* the last '
                       r'checkpoint, /runs/x/epoch_1\.pth, holds'):
        hook.before_save_checkpoint(runner, dict(state_dict=state))
