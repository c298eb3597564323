# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/train.py with the label-scarce switch: one epoch of MNF + CSC on
the synthetic clips with a quarter of their labels, set by a cfg-option;
then tools/test.py with the retrieval test loop, whose gallery is that
training split read with every label."""
import glob
import re
import sys

import pytest

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


def test_train_and_test_with_a_quarter_of_the_labels(synthetic_data,
                                                      tmp_path):
    options = data_options(synthetic_data) + [
        'train_dataloader.dataset.labelled_ratio=0.25'
    ]
    proc = run_tool([
        sys.executable, 'tools/train.py', DISTILL_CFG, '--work-dir',
        str(tmp_path / 'run'), '--cfg-options', 'train_cfg.max_epochs=1'
    ] + options)
    log = proc.stdout + proc.stderr
    kept = re.search(r'(\d+) of the 16 training clips .* keep their label',
                     log)
    assert kept and 4 <= int(kept.group(1)) < 16
    for key in ('loss_cls_v', 'loss_cls_n', 'loss_csc', 'loss_tri'):
        assert re.search(key + r': \d+\.\d+', log), key
    assert 'Epoch(val) [1]' in log and 'acc/top1' in log

    checkpoint = glob.glob(str(tmp_path / 'run' / 'epoch_1.pth'))[0]
    proc = run_tool([
        sys.executable, 'tools/test.py', DISTILL_CFG, checkpoint,
        '--work-dir',
        str(tmp_path / 'test'), '--cfg-options',
        'test_cfg.type=RetrievalTestLoop',
        'test_evaluator.type=VideoRetrievalMetric'
    ] + options)
    log = proc.stdout + proc.stderr
    # the 16 training clips, every one with its label, are the gallery
    assert re.search(r'retrieval/mAP: \d\.\d+', log), log[-3000:]
    assert 'keep their label' not in log
