# Copyright (c) mmxkd contributors. All rights reserved.
"""Checkpoint loading on torch >= 2.6 (weights-only unless an own run)."""
import os.path as osp
import pickle
import shutil

import pytest
import torch
from mmengine.runner.checkpoint import _load_checkpoint

import mmxkd  # noqa: F401
from mmxkd.compat import is_own_run_checkpoint


def test_run_checkpoint_loads_in_its_run_dir(trained_distiller):
    path = osp.join(trained_distiller, 'epoch_1.pth')
    assert is_own_run_checkpoint(path)
    checkpoint = _load_checkpoint(path, map_location='cpu')
    assert checkpoint['meta']['epoch'] == 1
    assert 'message_hub' in checkpoint and 'optimizer' in checkpoint


def test_run_checkpoint_refused_outside_a_run_dir(trained_distiller,
                                                  tmp_path):
    path = str(tmp_path / 'downloaded.pth')
    shutil.copy(osp.join(trained_distiller, 'epoch_1.pth'), path)
    assert not is_own_run_checkpoint(path)
    with pytest.raises(pickle.UnpicklingError) as err:
        _load_checkpoint(path, map_location='cpu')
    assert path in str(err.value) and 'last_checkpoint' in str(err.value)


def test_weights_load_weights_only_anywhere(tmp_path, monkeypatch):
    path = str(tmp_path / 'weights.pth')
    torch.save(dict(state_dict=dict(w=torch.ones(2)), meta=dict(epoch=1)),
               path)
    calls = []
    real_load = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs.get('weights_only'))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, 'load', spy)
    checkpoint = _load_checkpoint(path, map_location='cpu')
    assert calls == [True]
    assert torch.equal(checkpoint['state_dict']['w'], torch.ones(2))


def test_missing_checkpoint_names_the_path(tmp_path):
    path = str(tmp_path / 'nope.pth')
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        _load_checkpoint(path, map_location='cpu')
