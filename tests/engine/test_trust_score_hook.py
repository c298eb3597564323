# Copyright (c) mmxkd contributors. All rights reserved.
"""TrustScoreHook through tools/train.py: a trust head on synthetic clips
with half of their sounds swapped, scored against the swap per epoch."""
import json
import re
import sys

import pytest

from ..conftest import DISTILL_CFG, data_options, run_tool

pytestmark = pytest.mark.integration


def test_trust_is_scored_against_the_swapped_sounds(synthetic_data,
                                                    trained_teacher,
                                                    tmp_path):
    config = tmp_path / 'selective.py'
    config.write_text(
        f'_base_ = {DISTILL_CFG!r}\n'
        'model = dict(\n'
        f'    teacher=dict(classifier=dict(checkpoint={trained_teacher!r})),\n'
        '    heads=dict(_delete_=True, selective=dict(\n'
        "        type='SelectiveKDHead', warmup_epochs=1.0)))\n")
    work_dir = tmp_path / 'run'
    proc = run_tool([
        sys.executable, 'tools/train.py',
        str(config), '--work-dir',
        str(work_dir), '--cfg-options', 'train_cfg.max_epochs=2',
        'train_cfg.val_interval=2',
        'train_dataloader.dataset.swap_sound_ratio=0.5',
        'train_dataloader.dataset.labelled_ratio=0.5'
    ] + data_options(synthetic_data))
    log = proc.stdout + proc.stderr
    assert re.search(r'Epoch\(train\) \[2\] trust in the teacher .* '
                     r'trust/auc: \d\.\d{4}', log), log[-3000:]
    entries = json.loads((work_dir / 'trust.json').read_text())
    assert [e['epoch'] for e in entries] == [1, 2]
    for entry in entries:
        assert 0 <= entry['trust/auc'] <= 1
        assert entry['trust/irrelevant'] == 0.5
    # after the warm-up the head drops clips, and says how many were swapped
    assert 0 < entries[1]['trust/flagged'] < 1
    assert 0 <= entries[1]['trust/recall'] <= 1
    scalars = next(work_dir.glob('*/vis_data/scalars.json')).read_text()
    assert '"trust/auc"' in scalars
