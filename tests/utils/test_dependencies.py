# Copyright (c) mmxkd contributors. All rights reserved.
import os
import subprocess
import sys
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
    import torchvision  # noqa: F401  (imported before its ops go)

    class NoOps:
        pass

    monkeypatch.setattr(torch.ops, 'torchvision', NoOps())
    message = dependencies._torchvision_mismatch()
    assert 'was not built for torch' in message


@pytest.mark.integration
@pytest.mark.parametrize('build', ['no_operators', 'fails_to_import'])
def test_a_mismatched_torchvision_fails_its_import_with_the_fix(
        tmp_path, build):
    # a stand-in torchvision first on the path, imported after mmxkd
    fake = tmp_path / 'torchvision'
    fake.mkdir()
    (fake / '__init__.py').write_text(
        '__version__ = "0.0.0"\n' if build == 'no_operators' else
        'raise RuntimeError("operator torchvision::nms does not exist")\n')
    code = ('import mmxkd\n'
            'try:\n'
            '    import torchvision\n'
            'except ImportError as err:\n'
            '    print("REFUSED", err)\n')
    proc = subprocess.run([sys.executable, '-c', code],
                          env=dict(os.environ, PYTHONPATH=str(tmp_path)),
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    refused = proc.stdout.split('REFUSED', 1)[1]
    expected = ('was not built for torch' if build == 'no_operators' else
                'torchvision fails to import with torch')
    assert expected in refused and 'tools/install.sh' in refused
