# Copyright (c) mmxkd contributors. All rights reserved.
"""Callbacks run right after a module is imported, and ``import mmxkd``
imports none of the heavy modules its fixes patch."""
import sys

import pytest

from mmxkd.compat import import_hooks
from .helpers import run_python


@pytest.fixture
def package(tmp_path, monkeypatch, request):
    """A package ``pkg_<test>`` with a submodule ``sub`` that records when it
    ran; returns its name."""
    name = f'pkg_{request.node.name}'.replace('[', '_').replace(']', '')
    root = tmp_path / name
    root.mkdir()
    (root / '__init__.py').write_text('ran = []\n')
    (root / 'sub.py').write_text(f'import {name}\n{name}.ran.append(1)\n'
                                 'value = 42\n')
    (root / 'broken.py').write_text('raise RuntimeError("bad build")\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for module in [m for m in sys.modules if m.split('.')[0] == name]:
        del sys.modules[module]


def test_callback_runs_after_the_module_and_sees_it_bound(package):
    seen = []

    def callback(module):
        parent = sys.modules[package]
        seen.append((module.value, parent.ran[:], parent.sub is module))

    import_hooks.when_imported(f'{package}.sub', callback)
    assert seen == [] and f'{package}.sub' in import_hooks.pending()
    __import__(f'{package}.sub')
    assert seen == [(42, [1], True)]
    assert f'{package}.sub' not in import_hooks.pending()
    # the module keeps upstream's spec and loader class
    module = sys.modules[f'{package}.sub']
    assert type(module.__spec__.loader).__name__ == 'SourceFileLoader'


def test_callback_runs_at_once_for_an_imported_module(package):
    __import__(f'{package}.sub')
    seen = []
    import_hooks.when_imported(f'{package}.sub', seen.append)
    assert seen == [sys.modules[f'{package}.sub']]


def test_a_failing_callback_fails_the_import(package):

    def refuse(module):
        raise ImportError('refused by the check')

    import_hooks.when_imported(f'{package}.sub', refuse)
    with pytest.raises(ImportError, match='refused by the check'):
        __import__(f'{package}.sub')


def test_on_error_turns_a_failed_import_into_a_clear_one(package):

    def explain(err):
        raise ImportError(f'explained: {err}') from err

    import_hooks.when_imported(f'{package}.broken', lambda m: None,
                               on_error=explain)
    with pytest.raises(ImportError, match='explained: bad build'):
        __import__(f'{package}.broken')


@pytest.mark.integration
def test_import_mmxkd_imports_nothing_heavy():
    run_python('''
import sys
import mmxkd
heavy = sorted(m for m in sys.modules
               if m.split('.')[0] in ('torch', 'torchvision', 'mmaction')
               and not m.startswith('mmaction.models.localizers.drn')
               or m.startswith('mmengine.runner'))
assert not heavy, heavy
import mmxkd.utils.cli, mmxkd.fileio  # what the data tools import
assert 'torch' not in sys.modules
''')
