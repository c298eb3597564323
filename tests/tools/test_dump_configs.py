# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/analysis/dump_configs.py: the built config of each leaf as JSON."""
import json
import os.path as osp
import shutil

import pytest

from .data._scripts import ROOT, load_script

dump = load_script('tools/analysis/dump_configs.py')
KD = 'kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-*'


def test_dumps_each_leaf_built(tmp_path) -> None:
    dump.main([str(tmp_path), '--pattern', KD])
    leaves = dump.leaf_configs(ROOT, KD)
    assert len(leaves) > 3
    for leaf in leaves:
        with open(tmp_path / (leaf + '.json')) as f:
            built = json.load(f)
        # inheritance resolved: the main leaf's heads, the base's data
        assert built['model']['heads']['kd']['type'] == 'LogitKDHead'
        assert built['train_dataloader']['batch_size'] == 8
    scarce = [c for c in leaves if '25pct-8x32' in c]
    with open(tmp_path / (scarce[0] + '.json')) as f:
        assert json.load(f)['train_dataloader']['dataset'][
            'labelled_ratio'] == 0.25


def test_a_changed_tree_dumps_differently(tmp_path) -> None:
    """A copy of the config tree with one value changed differs in that
    leaf's dump only."""
    copy = tmp_path / 'copy'
    shutil.copytree(osp.join(ROOT, 'configs'), copy / 'configs')
    leaf = ('configs/kd/kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_'
            'grid-word-all-25pct-8x32.py')
    with open(copy / leaf, 'a') as f:
        f.write('\ntrain_cfg = dict(max_epochs=3)\n')
    dump.dump_configs(ROOT, str(tmp_path / 'a'), KD)
    dump.dump_configs(str(copy), str(tmp_path / 'b'), KD)
    differ = [c for c in dump.leaf_configs(ROOT, KD)
              if (tmp_path / 'a' / (c + '.json')).read_text()
              != (tmp_path / 'b' / (c + '.json')).read_text()]
    assert differ == [leaf]


def test_no_match_is_an_error(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match='no-such'):
        dump.dump_configs(ROOT, str(tmp_path), 'no-such')
