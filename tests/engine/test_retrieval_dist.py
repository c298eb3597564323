# Copyright (c) mmxkd contributors. All rights reserved.
"""Retrieval under DDP: tools/dist_test.sh with 2 CPU processes scores the
same as one process, with query and gallery splits that the sampler pads."""
import glob
import json
import os.path as osp

import pytest

from ..conftest import DISTILL_CFG, data_options, run_tool
from ..tools.test_dist_train import _free_port

pytestmark = pytest.mark.integration

# 7 queries and 15 gallery clips: both padded on 2 ranks
RETRIEVAL = [
    'test_cfg.type=RetrievalTestLoop',
    'test_evaluator.type=VideoRetrievalMetric',
    'test_dataloader.dataset.indices=7',
    'train_dataloader.dataset.indices=15',
    'test_dataloader.batch_size=2',
]


def _metrics(work_dir: str) -> dict:
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.json')))
    with open(logs[-1]) as f:
        metrics = json.loads(f.readlines()[-1])
    return {k: v for k, v in metrics.items() if k.startswith('retrieval/')}


def test_dist_test_retrieval_matches_one_process(synthetic_data,
                                                 trained_distiller, tmp_path):
    checkpoint = osp.join(trained_distiller, 'epoch_1.pth')
    options = data_options(synthetic_data) + RETRIEVAL
    single, dist = str(tmp_path / 'single'), str(tmp_path / 'dist')
    run_tool(['python', 'tools/test.py', DISTILL_CFG, checkpoint,
              '--work-dir', single, '--cfg-options'] + options)
    proc = run_tool(
        ['env', f'PORT={_free_port()}', 'bash', 'tools/dist_test.sh',
         DISTILL_CFG, checkpoint, '2', '--work-dir', dist, '--cfg-options'] +
        options,
        timeout=600)
    assert 'using the gloo backend' in proc.stdout + proc.stderr
    expected = _metrics(single)
    assert set(expected) >= {'retrieval/mAP', 'retrieval/R@1'}
    got = _metrics(dist)
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-4), key
