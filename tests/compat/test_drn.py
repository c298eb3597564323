# Copyright (c) mmxkd contributors. All rights reserved.
"""MMAction2 1.2.0's missing drn module (open-mmlab/mmaction2#2714)."""
import sys

import pytest

import mmxkd  # noqa: F401
from mmxkd.compat import drn
from .helpers import run_python


def test_mmaction_models_import_and_drn_explains_itself():
    import mmaction.models
    from mmaction.registry import MODELS

    assert MODELS.get('Recognizer3D') is not None
    assert MODELS.get('DRN') is None  # the missing localizer is not faked
    with pytest.raises(ImportError, match='2714'):
        mmaction.models.localizers.DRN()


def test_modules_are_real_and_attached_to_their_parents():
    import mmaction.models.localizers as localizers

    package = sys.modules['mmaction.models.localizers.drn']
    assert localizers.drn is package
    assert package.drn is sys.modules['mmaction.models.localizers.drn.drn']
    assert package.drn.DRN is localizers.DRN
    assert package.__spec__.name == package.__name__ and package.__path__ == []


@pytest.mark.integration
def test_import_survives_a_reset_meta_path():
    # no finder of mmxkd is needed once it is imported: here every finder
    # but Python's own is removed before mmaction.models is imported
    run_python('''
import importlib.machinery as machinery
import sys
import mmxkd
sys.meta_path[:] = [machinery.BuiltinImporter, machinery.FrozenImporter,
                    machinery.PathFinder]
import mmaction.models
from mmaction.models.localizers import DRN, drn
assert drn.drn.DRN is DRN
''')


def _fake_mmaction(root, with_drn: bool) -> None:
    localizers = root / 'mmaction' / 'models' / 'localizers'
    localizers.mkdir(parents=True)
    (root / 'mmaction' / '__init__.py').write_text('')
    if with_drn:
        (localizers / 'drn').mkdir()
        (localizers / 'drn' / '__init__.py').write_text('')


@pytest.mark.parametrize('with_drn', [True, False])
def test_missing_drn_is_found_without_importing(tmp_path, monkeypatch,
                                                with_drn):
    assert drn.drn_missing()  # the mmaction2 1.2.0 wheel installed here
    _fake_mmaction(tmp_path, with_drn)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, 'mmaction')
    assert drn.drn_missing() != with_drn
    assert 'mmaction' not in sys.modules
