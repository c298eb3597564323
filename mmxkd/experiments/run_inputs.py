# Copyright (c) mmxkd contributors. All rights reserved.
"""What a run's result depends on, as digests, so that a finished run is
reused only for the same inputs.

A run's inputs are its built training config (the config file with its
``--cfg-options`` and seed merged) and the content of every file and
directory that config names: the teacher checkpoint, the teacher features,
the data lists, the videos and sounds. Caches (``cache_dir``) and work dirs
are left out: they derive from the rest.
"""
import argparse
import hashlib
import os
import os.path as osp
from typing import Dict, Iterator, List, Sequence, Tuple

from mmengine.config import Config, DictAction

# config keys whose paths are derived data, not inputs
DERIVED_KEYS = frozenset({'cache_dir', 'clip_cache_dir', 'work_dir'})
CHUNK = 1 << 20
_digests: Dict[Tuple[str, int, int], str] = {}


def merged_config(path: str, options: Sequence[str]) -> Config:
    """The config file with ``KEY=VALUE`` options merged as
    ``tools/train.py`` merges ``--cfg-options``.

    Args:
        path: The config file.
        options: ``KEY=VALUE`` strings.

    Returns:
        The merged config.
    """
    cfg = Config.fromfile(path)
    if options:
        parser = argparse.ArgumentParser()
        parser.add_argument('--cfg-options', nargs='+', action=DictAction)
        cfg.merge_from_dict(
            parser.parse_args(['--cfg-options', *options]).cfg_options)
    return cfg


def named_paths(value: object, key: str = '') -> Iterator[Tuple[str, str]]:
    """``(config key, path)`` of every string in a config value that names
    an existing file, or a directory by a path with a ``/`` (not a bare
    module name such as ``mmxkd``), except under :data:`DERIVED_KEYS`."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name not in DERIVED_KEYS:
                yield from named_paths(item, f'{key}.{name}' if key else name)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from named_paths(item, f'{key}.{i}')
    elif isinstance(value, str) and (osp.isfile(value) or
                                     ('/' in value and osp.isdir(value))):
        yield key, value


def file_digest(path: str) -> str:
    """sha256 of a file's content, remembered per (path, size, mtime)."""
    stat = os.stat(path)
    memo = (osp.realpath(path), stat.st_size, stat.st_mtime_ns)
    if memo not in _digests:
        sha = hashlib.sha256()
        with open(path, 'rb') as f:
            for block in iter(lambda: f.read(CHUNK), b''):
                sha.update(block)
        _digests[memo] = sha.hexdigest()
    return _digests[memo]


def path_digest(path: str) -> str:
    """sha256 of a file's content, or of a directory's file names and
    contents (recursively, in sorted order)."""
    if osp.isfile(path):
        return file_digest(path)
    sha = hashlib.sha256()
    files: List[str] = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        files += [osp.join(root, name) for name in sorted(names)]
    for name in files:
        sha.update(osp.relpath(name, path).encode() + b'\0')
        sha.update(file_digest(name).encode())
    return sha.hexdigest()


def run_inputs(config: str, options: Sequence[str]) -> Dict[str, str]:
    """The digests of a run's inputs.

    Args:
        config: The config file.
        options: All ``--cfg-options`` of its training, the seed included.

    Returns:
        ``{'config': <digest of the merged config>, <path>: <digest>, ...}``
        with one entry per file or directory the merged config names.
    """
    cfg = merged_config(config, options)
    inputs = {
        'config': hashlib.sha256(cfg.pretty_text.encode()).hexdigest()
    }
    for _, path in named_paths(cfg.to_dict()):
        inputs.setdefault(osp.normpath(path), path_digest(path))
    return inputs


def changed_inputs(recorded: Dict[str, str],
                   current: Dict[str, str]) -> List[str]:
    """The entries (``config`` or paths) whose digests differ, or that only
    one of the two has."""
    return sorted(key for key in set(recorded) | set(current)
                  if recorded.get(key) != current.get(key))
