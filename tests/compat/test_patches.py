# Copyright (c) mmxkd contributors. All rights reserved.
"""Every compatibility fix: applied once where the installed versions have
its bug, when the module it patches is imported, named in one INFO line per
batch (its own line at DEBUG, or with MMXKD_COMPAT_VERBOSE=1); skipped where
they do not, and when MMXKD_NO_COMPAT names it."""
import dataclasses
import json
from typing import Dict, List, Optional, Tuple

import pytest
from packaging.version import Version

from mmxkd import compat
from mmxkd.compat import patch as compat_patch
from .helpers import run_python

NAMES = [p.name for p in compat.PATCHES]
PATCHES = {p.name: p for p in compat.PATCHES}

# In a fresh process: import mmxkd, then what the fixes patch, apply once
# more, then report which fixes are in effect (upstream's objects replaced)
# and whether mmaction.models imports.
PROBE = '''
import json, sys
import mmxkd
import mmengine.runner.runner
from mmxkd import compat
from mmengine.dist import utils as dist_utils
from mmengine.hooks import CheckpointHook, LoggerHook
from mmengine.model import MMDistributedDataParallel
from mmengine.runner.checkpoint import CheckpointLoader
try:
    import mmaction.models
    error = None
except ImportError as err:
    error = str(err)
again = compat.apply_compat()
in_effect = {
    'drn': 'mmaction.models.localizers.drn' in sys.modules,
    'checkpoint': CheckpointLoader._schemes['']
    is compat.checkpoint.load_local_checkpoint,
    'atomic_ckpt': all(
        getattr(f, 'mmxkd_atomic', False)
        for f in (mmengine.runner.runner.save_checkpoint,
                  CheckpointHook._save_best_checkpoint,
                  CheckpointHook._save_checkpoint_with_step)),
    'cpu_ddp': dist_utils._init_dist_pytorch
    is compat.distributed._init_dist_pytorch
    and MMDistributedDataParallel.__init__
    is compat.distributed._ddp_init_cpu_aware,
    'test_log': LoggerHook.after_test_epoch
    is compat.logger_hook._after_test_epoch_main_only,
}
print('PROBE ' + json.dumps(dict(again=again, in_effect=in_effect,
                                 error=error)))
'''


def _probe(opt_out: Optional[str] = None) -> Dict:
    env = None if opt_out is None else {'MMXKD_NO_COMPAT': opt_out}
    proc = run_python(PROBE, env)
    line, = (line for line in proc.stdout.splitlines()
             if line.startswith('PROBE '))
    result = json.loads(line[len('PROBE '):])
    result['log'] = proc.stdout + proc.stderr
    return result


def _applied_lines(log: str, name: str) -> List[str]:
    """The patch's own log lines."""
    return [
        line for line in log.splitlines()
        if f'mmxkd.compat: applied "{name}"' in line
    ]


def _digests(log: str) -> List[List[str]]:
    """The names listed by each digest line."""
    return [
        line.split('mmxkd.compat: applied ', 1)[1].split(' (details')[0]
        .split(', ') for line in log.splitlines()
        if 'mmxkd.compat: applied ' in line and 'applied "' not in line
    ]


# import mmxkd installs the drn fix, the runner's import the other four
BATCHES = [['drn'], [n for n in NAMES if n != 'drn']]


@pytest.fixture(scope='module')
def default_run() -> Dict:
    return _probe()


@pytest.mark.integration
@pytest.mark.parametrize('name', NAMES)
def test_applied_once_and_named_in_one_line(default_run, name):
    # this environment (mmaction2 1.2.0 wheel, torch >= 2.6, MMEngine
    # 0.10.7) has every bug
    assert default_run['in_effect'][name]
    assert name in default_run['again']
    assert _digests(default_run['log']) == BATCHES, default_run['log']
    assert not _applied_lines(default_run['log'], name)  # at DEBUG
    assert PATCHES[name].upstream not in default_run['log']
    assert default_run['error'] is None


@pytest.mark.integration
def test_one_short_line_per_batch_by_default(default_run):
    messages = [
        x.split(' - INFO - ', 1)[1] for x in default_run['log'].splitlines()
        if 'mmxkd.compat' in x
    ]
    assert messages == [
        'mmxkd.compat: applied drn (details: MMXKD_COMPAT_VERBOSE=1; off: '
        'MMXKD_NO_COMPAT=<names>|all)',
        'mmxkd.compat: applied checkpoint, atomic_ckpt, cpu_ddp, test_log '
        '(details: MMXKD_COMPAT_VERBOSE=1; off: MMXKD_NO_COMPAT=<names>|all)'
    ]


@pytest.mark.integration
@pytest.mark.parametrize('verbose', ['1', '0'])
def test_verbose_logs_each_patch_with_its_upstream(verbose):
    env = {'MMXKD_COMPAT_VERBOSE': verbose}
    log = run_python(PROBE, env).stdout
    assert _digests(log) == BATCHES, log
    for name in NAMES:
        lines = _applied_lines(log, name)
        if verbose == '0':
            assert lines == []
            continue
        assert len(lines) == 1, log
        assert PATCHES[name].upstream in lines[0]
        assert f'MMXKD_NO_COMPAT={name}' in lines[0]


@pytest.mark.integration
@pytest.mark.parametrize('name', NAMES)
def test_opt_out_leaves_upstream_as_it_is(name):
    result = _probe(f' {name} ,')
    assert not result['in_effect'][name]
    assert name not in result['again']
    assert _digests(result['log']) == [[n for n in batch if n != name]
                                       for batch in BATCHES
                                       if batch != [name]]
    for other in NAMES:
        if other != name:
            assert result['in_effect'][other], other
    if name == 'drn':  # upstream's bug is back
        assert 'mmaction.models.localizers.drn' in result['error']
    else:
        assert result['error'] is None


@pytest.mark.integration
def test_opt_out_of_all_and_unknown_names_are_reported():
    result = _probe('all')
    assert result['again'] == []
    assert not any(result['in_effect'].values())
    assert 'mmxkd.compat: applied' not in result['log']

    result = _probe('drn,chekpoint')
    assert not result['in_effect']['drn']
    assert result['in_effect']['checkpoint']
    assert 'unknown patch name(s) chekpoint ignored' in result['log']


@pytest.fixture
def fresh(monkeypatch) -> List[str]:
    """No fix applied yet in this process; returns what gets logged."""
    monkeypatch.setattr(compat_patch, '_applied', set())
    logged: List[str] = []
    monkeypatch.setattr(compat_patch, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    return logged


def _spied(name: str) -> Tuple[compat.CompatPatch, List[None]]:
    """The patch ``name`` with an install that only counts its calls."""
    calls: List[None] = []
    return dataclasses.replace(
        PATCHES[name], install=lambda: calls.append(None)), calls


@pytest.mark.parametrize('name', NAMES)
def test_apply_installs_and_logs_once(fresh, name):
    spied, calls = _spied(name)
    assert compat_patch.apply_patch(spied, frozenset())
    assert compat_patch.apply_patch(spied, frozenset())
    assert len(calls) == 1
    assert len(fresh) == 1 and spied.upstream in fresh[0]


def test_the_digest_names_only_what_this_call_installed(fresh):
    spied = [_spied(name)[0] for name in NAMES]
    assert compat_patch.apply_patches(spied[:1]) == NAMES[:1]
    assert compat_patch.apply_patches(spied) == NAMES
    assert compat_patch.apply_patches(spied) == NAMES
    digests = [msg for msg in fresh if 'applied "' not in msg]
    assert digests == [
        compat_patch.digest(NAMES[:1]),
        compat_patch.digest(NAMES[1:])
    ]


@pytest.mark.parametrize('name, distribution, version', [
    ('drn', 'mmaction2', '1.1.0'),
    ('drn', 'mmaction2', '1.2.1'),
    ('checkpoint', 'torch', '2.5.1'),
    ('atomic_ckpt', 'mmengine', '0.11.0'),
    ('cpu_ddp', 'mmengine', '0.9.1'),
    ('cpu_ddp', 'mmengine', '0.11.0'),
    ('test_log', 'mmengine', '0.9.1'),
    ('test_log', 'mmengine', '0.11.0'),
])
def test_skipped_where_the_version_has_no_bug(fresh, monkeypatch, name,
                                              distribution, version):
    real = compat_patch.installed_version

    def fake(dist: str) -> Optional[Version]:
        return Version(version) if dist == distribution else real(dist)

    monkeypatch.setattr(compat_patch, 'installed_version', fake)
    spied, calls = _spied(name)
    assert not compat_patch.affects_installed(spied)
    assert not compat_patch.apply_patch(spied, frozenset())
    assert calls == [] and fresh == []


@pytest.mark.parametrize('installed, affected', [
    ('2.6.0rc1+cpu', True),  # pre-release and local parts ignored
    ('2.6.0', True),
    ('2.5.1+cu121', False),
    (None, False),  # not installed
])
def test_version_match_ignores_build_tags(monkeypatch, installed, affected):
    monkeypatch.setattr(
        compat_patch, 'installed_version',
        lambda dist: None if installed is None else Version(installed))
    assert compat_patch.affects_installed(PATCHES['checkpoint']) == affected


def test_opt_out_skips_the_install(fresh):
    spied, calls = _spied('test_log')
    assert not compat_patch.apply_patch(spied, frozenset({'test_log'}))
    assert calls == [] and fresh == []
