# Copyright (c) mmxkd contributors. All rights reserved.
"""Label-scarce batches in distributed training: 2 CPU processes (gloo) of
4 clips, with different numbers of labelled clips per rank (none on one),
train as 1 process of 8 in float64: ``loss_cls_v``, CSC and the MNF
classifier's CE are means over the whole batch's labelled clips; with
``CSCLoss(own_clip='excluded')`` CSC is the mean over the anchors with a
partner anywhere in the whole batch."""
import os.path as osp
from typing import Dict, Tuple

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

from .._student import make_batch
from ..heads._build import build_distiller
from .test_distributed_equals_single import LABELS_8, WORLD, _free_port

pytestmark = pytest.mark.integration

HEADS = dict(mnf_csc=dict(type='MNFCSCHead'))
# CSC without the own clip as a positive: an anchor without a (labelled)
# partner of its class in the whole batch is left out of the mean
EXCLUDED = dict(
    mnf_csc=dict(
        type='MNFCSCHead',
        loss_csc=dict(type='CSCLoss', own_clip='excluded')))
# interleaved over the ranks: 3 and 1 labelled clips, then 4 and 0
UNEVEN = (True, False, True, False, True, True, False, False)
CASES = dict(
    uneven=(HEADS, UNEVEN),
    one_rank_empty=(HEADS, (True, False) * 4),
    own_clip_excluded=(EXCLUDED, (True, ) * 8),
    own_clip_excluded_uneven=(EXCLUDED, UNEVEN))


def _step(heads: dict, flags: tuple, rows: slice) -> Tuple[Dict, Dict]:
    """Loss terms and gradients of one step on clips ``rows`` of 8."""
    model = build_distiller(heads).double()
    for module in model.student.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.eval()
    inputs, samples = make_batch(LABELS_8)
    for sample, flag in zip(samples, flags):
        sample.set_field(flag, 'labelled')
    losses = model(inputs[rows].double(), samples[rows], mode='loss')
    terms = {k: v for k, v in losses.items() if 'loss' in k}
    sum(terms.values()).backward()
    grads = {
        name: p.grad.detach().clone()
        if p.grad is not None else torch.zeros_like(p)
        for name, p in model.named_parameters()
    }
    return {k: v.detach() for k, v in terms.items()}, grads


def _worker(rank: int, port: int, out_dir: str) -> None:
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
        world_size=WORLD)
    results = {}
    for key, (heads, flags) in CASES.items():
        terms, grads = _step(heads, flags, slice(rank, None, WORLD))
        for tensor in list(terms.values()) + list(grads.values()):
            dist.all_reduce(tensor)  # DDP's averaging, and the terms' mean
            tensor /= WORLD
        results[key] = dict(terms=terms, grads=grads)
    torch.save(results, osp.join(out_dir, f'rank{rank}.pth'))
    dist.destroy_process_group()


def test_two_label_scarce_ranks_equal_one_process(tmp_path):
    mp.spawn(_worker, args=(_free_port(), str(tmp_path)), nprocs=WORLD)
    ranks = torch.load(tmp_path / 'rank0.pth', weights_only=False)
    for key, (heads, flags) in CASES.items():
        terms, grads = _step(heads, flags, slice(0, 8))
        assert {'loss_cls_v', 'loss_csc', 'loss_cls_n'} <= set(terms)
        for name, value in terms.items():
            torch.testing.assert_close(
                ranks[key]['terms'][name], value, rtol=1e-12, atol=1e-12,
                msg=f'{key}: {name}')
        for name, grad in grads.items():
            torch.testing.assert_close(
                ranks[key]['grads'][name], grad, rtol=1e-10, atol=1e-12,
                msg=f'{key}: {name}')
