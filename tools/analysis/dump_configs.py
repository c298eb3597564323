# Copyright (c) mmxkd contributors. All rights reserved.
"""Write the built config of every leaf config as canonical JSON, to check
that a change of the config tree leaves what each leaf builds unchanged.

Every ``configs/<folder>/*.py`` of ``--root`` (default: this checkout) is
built with ``mmengine.Config.fromfile`` (inheritance resolved, nothing
instantiated) and written to ``OUT/<config path>.json`` with sorted keys,
tuples marked as such. Dump two checkouts and compare them with ``diff -r``.

Example (the config tree of commit REV against the working tree)::

    git worktree add /tmp/rev REV
    python tools/analysis/dump_configs.py /tmp/dump_rev --root /tmp/rev
    python tools/analysis/dump_configs.py /tmp/dump_now
    diff -r /tmp/dump_rev /tmp/dump_now
"""
import argparse
import glob
import json
import os
import os.path as osp
from typing import List, Optional

from mmengine.config import Config

import mmxkd  # noqa: F401  (the configs' custom imports)
from mmxkd.fileio import atomic_open


def canonical(value: object) -> object:
    """``value`` as JSON can hold it: tuples as ``{'__tuple__': [...]}``,
    other objects by their ``repr``."""
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return {'__tuple__': [canonical(v) for v in value]}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def leaf_configs(root: str, pattern: str = '*') -> List[str]:
    """The leaf configs of ``root`` (``configs/<folder>/<pattern>.py``,
    ``_base_`` left out), relative to ``root`` and sorted."""
    found = glob.glob(osp.join(root, 'configs', '*', f'{pattern}.py'))
    return sorted(
        osp.relpath(p, root) for p in found
        if osp.basename(osp.dirname(p)) != '_base_')


def dump_configs(root: str, out_dir: str, pattern: str = '*') -> List[str]:
    """Dump the built config of every leaf of ``root`` under ``out_dir``.

    Args:
        root: A checkout of the repository.
        out_dir: Where ``<config path>.json`` files are written.
        pattern: A glob on the leaves' file names, without ``.py``.

    Returns:
        The dumped configs, relative to ``root``.
    """
    leaves = leaf_configs(root, pattern)
    if not leaves:
        raise FileNotFoundError(
            f'no config matches configs/*/{pattern}.py under {root}')
    here = os.getcwd()
    os.chdir(root)  # configs name their data relative to the checkout
    try:
        built = {c: Config.fromfile(c).to_dict() for c in leaves}
    finally:
        os.chdir(here)
    for config, cfg in built.items():
        path = osp.join(out_dir, config + '.json')
        os.makedirs(osp.dirname(path), exist_ok=True)
        with atomic_open(path, 'w') as f:
            json.dump(canonical(cfg), f, indent=1, sort_keys=True)
            f.write('\n')
    return leaves


def main(argv: Optional[List[str]] = None) -> None:
    """Parse the arguments and dump."""
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n\n', 1)[1])
    parser.add_argument('out_dir', help='where the JSON files go')
    parser.add_argument(
        '--root',
        default=osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
        help='the checkout whose configs are built (default: this one)')
    parser.add_argument(
        '--pattern', default='*', help='glob on the leaf file names')
    args = parser.parse_args(argv)
    leaves = dump_configs(osp.abspath(args.root), args.out_dir, args.pattern)
    print(f'{len(leaves)} built configs written to {args.out_dir}')


if __name__ == '__main__':
    main()
