# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/train.py with batches of same-class pairs (ClassBalancedSampler),
set in a user's leaf config, as the *-pairs-8x32 GRID configs set it."""
import re
import sys

import pytest

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


def test_train_on_same_class_pairs(synthetic_data, tmp_path):
    leaf = tmp_path / 'pairs.py'
    leaf.write_text(f"_base_ = '{DISTILL_CFG}'\n"
                    'train_dataloader = dict(sampler=dict(_delete_=True, '
                    "type='ClassBalancedSampler', batch_size=4, "
                    'clips_per_class=2))\n')
    proc = run_tool([
        sys.executable, 'tools/train.py',
        str(leaf), '--work-dir',
        str(tmp_path / 'run'), '--cfg-options', 'train_cfg.max_epochs=1'
    ] + data_options(synthetic_data, batch_size=4))
    log = proc.stdout + proc.stderr
    # 16 clips of 4 classes, 4 each: 8 pairs, 4 batches of 4
    assert re.search(
        r'ClassBalancedSampler: 16 clips of 4 classes in groups of 2, '
        r'4 batches of 4 per epoch \(0 clips sit out', log), log[-3000:]
    assert re.search(r'Epoch\(train\) +\[1\]\[4/4\]', log) or \
        'Epoch(val) [1]' in log
    for key in ('loss_cls_v', 'loss_csc', 'loss_tri'):
        assert re.search(key + r': \d+\.\d+', log), key

