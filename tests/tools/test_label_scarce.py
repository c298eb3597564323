# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/train.py with the label-scarce switch: one epoch of MNF + CSC on
the synthetic clips with a quarter of their labels, set by a cfg-option."""
import re
import sys

from ..conftest import DISTILL_CFG, data_options, run_tool


def test_train_with_a_quarter_of_the_labels(synthetic_data, tmp_path):
    proc = run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir',
        str(tmp_path / 'run'), '--cfg-options', 'train_cfg.max_epochs=1',
        'train_dataloader.dataset.labelled_ratio=0.25'
    ] + data_options(synthetic_data))
    log = proc.stdout + proc.stderr
    kept = re.search(r'(\d+) of the 16 training clips .* keep their label',
                     log)
    assert kept and 4 <= int(kept.group(1)) < 16
    for key in ('loss_cls_v', 'loss_cls_n', 'loss_csc', 'loss_tri'):
        assert re.search(key + r': \d+\.\d+', log), key
    assert 'Epoch(val) [1]' in log and 'acc/top1' in log
