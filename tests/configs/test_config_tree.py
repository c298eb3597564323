# Copyright (c) mmxkd contributors. All rights reserved.
"""The config tree stays flat: every leaf is at most three levels of
inheritance deep (leaf -> bases -> theirs -> theirs), names its bases' values itself (no
``{{_base_.x}}``), and is listed in its folder's model zoo metafile. Only
the ``_base_`` lists are parsed; nothing is built."""
import ast
import glob
import os.path as osp
import re

import mmaction
import pytest
import yaml

from ..conftest import ROOT

MIM = osp.join(osp.dirname(mmaction.__file__), '.mim', 'configs')
LEAVES = sorted(
    c for c in glob.glob(osp.join(ROOT, 'configs', '*', '*.py'))
    if '/_base_/' not in c)
MAX_LEVELS = 3


def bases(path: str) -> list:
    """The files ``path``'s ``_base_`` names (``mmaction::`` included)."""
    with open(path) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == '_base_'
                for t in node.targets):
            value = ast.literal_eval(node.value)
            names = [value] if isinstance(value, str) else list(value)
            return [
                osp.join(MIM, n[len('mmaction::'):])
                if n.startswith('mmaction::') else osp.normpath(
                    osp.join(osp.dirname(path), n)) for n in names
            ]
    return []


def depth(path: str) -> int:
    """Files in the longest ``_base_`` chain from ``path``, itself
    included."""
    return 1 + max((depth(b) for b in bases(path)), default=0)


def test_the_tree_has_leaves():
    assert len(LEAVES) > 50


@pytest.mark.parametrize('leaf', LEAVES, ids=osp.basename)
def test_leaf_is_at_most_three_levels_deep(leaf):
    for base in bases(leaf):
        assert osp.isfile(base), base
    assert depth(leaf) - 1 <= MAX_LEVELS, (leaf, depth(leaf) - 1)


@pytest.mark.parametrize('leaf', LEAVES, ids=osp.basename)
def test_leaf_plugs_no_base_variable(leaf):
    with open(leaf) as f:
        assert not re.search(r'\{\{\s*_base_\.', f.read())


def test_an_ablation_inherits_a_main_leaf_one_level():
    """A leaf that extends another leaf extends one whose bases are all
    under _base_ (a method's main leaf)."""
    for leaf in LEAVES:
        for base in bases(leaf):
            if '/_base_/' not in base:
                assert all('/_base_/' in b or b.startswith(MIM)
                           for b in bases(base)), (leaf, base)


@pytest.mark.parametrize('leaf', LEAVES, ids=osp.basename)
def test_leaf_is_in_its_metafile(leaf):
    metafile = osp.join(osp.dirname(leaf), 'metafile.yml')
    assert osp.isfile(metafile), metafile
    with open(metafile) as f:
        models = yaml.safe_load(f)['Models']
    configs = {m['Config'] for m in models}
    assert osp.relpath(leaf, ROOT) in configs, metafile
