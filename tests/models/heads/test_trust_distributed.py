# Copyright (c) mmxkd contributors. All rights reserved.
"""SelectiveKDHead in distributed training: 2 CPU processes (gloo) of 4
clips hold the trust bank, the running mean prediction, the kept clips and
(after DDP's averaging) the KD loss of 1 process of 8, step after step."""
import os.path as osp

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from ..distillers.test_distributed_equals_single import WORLD, _free_port
from .test_trust_heads import make_inputs, selective

pytestmark = pytest.mark.integration

C = 4


def _batches():
    """Two steps of 8 clips: logits, teacher logits, labels, flags."""
    gen = torch.Generator().manual_seed(0)
    steps = []
    for _ in range(2):
        s = torch.randn(8, C, generator=gen, dtype=torch.float64) * 3
        t = torch.randn(8, C, generator=gen, dtype=torch.float64) * 3
        labels = torch.tensor([0, -1, 2, -1, -1, 1, -1, 3])
        steps.append((s, t, labels, labels >= 0))
    return steps


def _run(rows: slice):
    head = selective(score='contradiction', warmup_epochs=0.0, threshold=0.5)
    out = []
    for s, t, labels, labelled in _batches():
        inputs = make_inputs(s[rows], t[rows], labels[rows], labelled[rows],
                             sample_idx=torch.arange(8)[rows])
        loss = head(inputs)['loss_kd']
        out.append(dict(loss=loss.detach(), kept=head.clip_kept.clone(),
                        trust=head.clip_trust['trust'].clone()))
    return head, out


def _worker(rank: int, port: int, out_dir: str) -> None:
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
        world_size=WORLD)
    head, out = _run(slice(rank, None, WORLD))
    for step in out:
        dist.all_reduce(step['loss'])  # DDP's mean over the ranks
        step['loss'] /= WORLD
    torch.save(dict(state=head.state_dict(), out=out),
               osp.join(out_dir, f'rank{rank}.pth'))
    dist.destroy_process_group()


def test_two_ranks_hold_the_trust_of_one_process(tmp_path):
    mp.spawn(_worker, args=(_free_port(), str(tmp_path)), nprocs=WORLD)
    head, single = _run(slice(0, 8))
    for rank in range(WORLD):
        saved = torch.load(tmp_path / f'rank{rank}.pth', weights_only=False)
        for name, value in head.state_dict().items():
            torch.testing.assert_close(saved['state'][name], value,
                                       equal_nan=True, msg=name)
        for step, ours in zip(saved['out'], single):
            torch.testing.assert_close(step['loss'].float(),
                                       ours['loss'].float())
            rows = slice(rank, None, WORLD)
            assert step['kept'].tolist() == ours['kept'][rows].tolist()
            torch.testing.assert_close(step['trust'], ours['trust'][rows])
