# Copyright (c) mmxkd contributors. All rights reserved.
from importlib import metadata

import pytest

from mmxkd.utils import dependencies


def test_current_environment_passes():
    dependencies.check_dependencies()


def test_out_of_range_and_missing_packages_are_named(monkeypatch):
    real_version = metadata.version

    def fake_version(name):
        if name == 'mmcv-lite':
            return '2.2.0'
        if name == 'decord':
            raise metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(dependencies.metadata, 'version', fake_version)
    with pytest.raises(ImportError) as err:
        dependencies.check_dependencies()
    message = str(err.value)
    assert 'mmcv 2.2.0 is installed, mmxkd needs mmcv>=2.0.0,<2.2.0' in message
    assert 'decord>=0.6.0 is not installed' in message
    assert 'tools/install.sh' in message


def test_unmatched_torchvision_is_reported(monkeypatch):
    import torch

    class NoOps:
        pass

    monkeypatch.setattr(torch.ops, 'torchvision', NoOps())
    message = dependencies._torchvision_mismatch()
    assert 'was not built for torch' in message
