# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.fileio.atomic: all or nothing, never a partial file."""
import json
import os
import subprocess
import sys

import pytest
import torch

from mmxkd.fileio import (TMP_MARK, AtomicFile, atomic_open,
                          remove_stale_temp_files, save_json, save_torch,
                          write_lines)


class Boom(Exception):
    pass


def test_commit_replaces_the_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / 'out.txt'
    path.write_text('old')
    with atomic_open(str(path)) as f:
        f.write('new')
        assert path.read_text() == 'old'  # not before the block ends
    assert path.read_text() == 'new'
    assert os.listdir(tmp_path) == ['out.txt']


def test_error_keeps_the_old_file_and_removes_the_temp(tmp_path):
    path = tmp_path / 'out.txt'
    path.write_text('old')
    with pytest.raises(Boom):
        with atomic_open(str(path)) as f:
            f.write('half of the new')
            raise Boom
    assert path.read_text() == 'old'
    assert os.listdir(tmp_path) == ['out.txt']


def test_error_on_a_new_file_leaves_nothing(tmp_path):
    with pytest.raises(Boom):
        with AtomicFile(str(tmp_path / 'sub' / 'new.bin')) as tmp:
            with open(tmp, 'wb') as f:
                f.write(b'x')
            raise Boom
    assert os.listdir(tmp_path / 'sub') == []  # the folder is created


def test_temp_file_is_beside_the_target(tmp_path):
    target = AtomicFile(str(tmp_path / 'a.npy'))
    assert target.tmp == f'{tmp_path / "a.npy"}{TMP_MARK}{os.getpid()}'


def test_discard_then_commit_does_nothing(tmp_path):
    path = str(tmp_path / 'clip.mp4')
    target = AtomicFile(path)
    with open(target.tmp, 'w') as f:
        f.write('too short')
    target.discard()
    target.commit()
    assert os.listdir(tmp_path) == []


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, '-c', 'pass'])
    proc.wait()
    return proc.pid


@pytest.mark.integration
def test_remove_stale_temp_files(tmp_path):
    dead, alive = _dead_pid(), os.getpid()
    (tmp_path / 'd').mkdir()
    stale = [
        tmp_path / f'a.npy.tmp-{dead}', tmp_path / 'd' / f'b.npy.tmp-{dead}'
    ]
    kept = [
        tmp_path / 'a.npy', tmp_path / 'd' / f'c.mp4.tmp-{dead}',
        tmp_path / f'e.npy.tmp-{alive}'  # a live writer's
    ]
    for path in stale + kept:
        path.write_text('')
    assert remove_stale_temp_files(str(tmp_path), '*.npy') == 2
    assert all(p.exists() for p in kept)
    assert not any(p.exists() for p in stale)
    assert remove_stale_temp_files(str(tmp_path)) == 1
    assert (tmp_path / f'e.npy.tmp-{alive}').exists()


def test_helpers(tmp_path):
    write_lines(str(tmp_path / 'l.txt'), ['a', 'b'])
    assert (tmp_path / 'l.txt').read_text() == 'a\nb\n'
    write_lines(str(tmp_path / 'empty.txt'), [])
    assert (tmp_path / 'empty.txt').read_text() == ''
    save_json(str(tmp_path / 'c.json'), dict(b=1, a=[2]), indent=0)
    text = (tmp_path / 'c.json').read_text()
    assert text.endswith('}\n') and json.loads(text) == dict(b=1, a=[2])
    save_torch(str(tmp_path / 'w.pth'), dict(w=torch.ones(2)))
    loaded = torch.load(tmp_path / 'w.pth', weights_only=True)
    assert torch.equal(loaded['w'], torch.ones(2))
    assert sorted(os.listdir(tmp_path)) == [
        'c.json', 'empty.txt', 'l.txt', 'w.pth'
    ]
