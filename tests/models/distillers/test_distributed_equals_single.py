# Copyright (c) mmxkd contributors. All rights reserved.
"""2 CPU processes (gloo) of 4 clips each train as 1 process of 8.

Each rank runs the distiller on its half of the same 8 clips; the mean of
the ranks' loss terms and the ranks' gradients averaged as DDP averages them
must equal one process's on all 8, in float64. The MNF's BatchNorm layers
(``GlobalBN1d``) train on the whole batch, and their running statistics must
match too; the student's BatchNorm is in eval mode (its statistics are
MMEngine's ``sync_bn`` business, per rank on CPU). Also gather_batch itself,
with ranks of different sizes.
"""
import os.path as osp
import socket
from typing import Dict, Tuple

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

from mmxkd.models.utils import gather_batch
from .._student import make_batch
from ..heads._build import build_distiller

pytestmark = pytest.mark.integration

WORLD = 2
LABELS_8 = (0, 1, 1, 2, 0, 2, 1, 0)
HEADS = dict(
    mnf_crd=dict(
        mnf_csc=dict(type='MNFCSCHead'),
        crd=dict(
            type='CRDHead',
            loss_crd=dict(
                type='CRDLoss', num_samples=8, num_negatives=6,
                embed_dim=8))),
    csc=dict(csc=dict(type='CSCHead')),
    per_rank_bn=dict(
        mnf_csc=dict(
            type='MNFCSCHead',
            mnf=dict(type='ModalityNoiseFilter', norm_cfg=dict(type='BN1d')))))
# BN1d normalises each rank's batch alone: a control that the comparison can
# fail, and what GlobalBN1d fixes
PER_RANK = 'per_rank_bn'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _step(heads: dict, rows: slice) -> Tuple[nn.Module, Dict, Dict]:
    """Loss terms and gradients of one step on clips ``rows`` of 8."""
    model = build_distiller(heads).double()
    for module in model.student.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.eval()
    inputs, samples = make_batch(LABELS_8, sample_idx=True)
    torch.manual_seed(1)  # CRD's negatives: the same generator state
    losses = model(inputs[rows].double(), samples[rows], mode='loss')
    terms = {k: v for k, v in losses.items() if 'loss' in k}
    sum(terms.values()).backward()
    terms = {k: v.detach() for k, v in terms.items()}
    grads = {
        name: p.grad.detach().clone()
        if p.grad is not None else torch.zeros_like(p)
        for name, p in model.named_parameters()
    }
    return model, terms, grads


def _worker(rank: int, port: int, out_dir: str) -> None:
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
        world_size=WORLD)
    results = {}
    for key, heads in HEADS.items():
        # interleaved, as DefaultSampler splits a batch over the ranks
        model, terms, grads = _step(heads, slice(rank, None, WORLD))
        for tensor in list(terms.values()) + list(grads.values()):
            dist.all_reduce(tensor)  # DDP's averaging, and the terms' mean
            tensor /= WORLD
        results[key] = dict(
            terms=terms, grads=grads, buffers=dict(model.named_buffers()))
    # gather_batch with 2 and 3 rows, gradients summed over the ranks
    x = torch.arange(2.0 + rank, dtype=torch.float64).requires_grad_()
    gathered, rows = gather_batch(x)
    (gathered * torch.arange(1.0, 6.0, dtype=torch.float64)).sum().backward()
    results['gather'] = dict(gathered=gathered.detach(), rows=rows,
                             grad=x.grad, labels=gather_batch(
                                 torch.full((2 + rank, ), rank))[0])
    torch.save(results, osp.join(out_dir, f'rank{rank}.pth'))
    dist.destroy_process_group()


def test_two_ranks_of_four_equal_one_process_of_eight(tmp_path):
    mp.spawn(_worker, args=(_free_port(), str(tmp_path)), nprocs=WORLD)
    ranks = [
        torch.load(tmp_path / f'rank{r}.pth', weights_only=False)
        for r in range(WORLD)
    ]
    for key, heads in HEADS.items():
        model, terms, grads = _step(heads, slice(0, 8))
        dist_terms = ranks[0][key]['terms']
        assert set(dist_terms) == set(terms)
        if key == PER_RANK:
            assert not torch.allclose(
                dist_terms['loss_csc'], terms['loss_csc'], rtol=1e-6)
            continue
        assert {'loss_csc', 'loss_cls_v'} <= set(terms)
        for name, value in terms.items():
            torch.testing.assert_close(
                dist_terms[name], value, rtol=1e-12, atol=1e-12, msg=name)
        for name, grad in grads.items():
            torch.testing.assert_close(
                ranks[0][key]['grads'][name], grad, rtol=1e-10, atol=1e-12,
                msg=name)
        assert any(g.abs().max() > 0 for n, g in grads.items()
                   if n.startswith('student.'))
        # CRD's banks and Z: the same on both ranks and as one process
        for name, buf in model.named_buffers():
            for rank in ranks:
                torch.testing.assert_close(
                    rank[key]['buffers'][name], buf, msg=name)
    gather = [rank['gather'] for rank in ranks]
    for rank, result in enumerate(gather):
        torch.testing.assert_close(
            result['gathered'],
            torch.tensor([0., 1., 0., 1., 2.], dtype=torch.float64))
        assert result['rows'] == (slice(0, 2) if rank == 0 else slice(2, 5))
        assert result['labels'].tolist() == [0, 0, 1, 1, 1]
    # each rank's rows get the sum of both ranks' gradients
    torch.testing.assert_close(gather[0]['grad'],
                               torch.tensor([2., 4.], dtype=torch.float64))
    torch.testing.assert_close(
        gather[1]['grad'], torch.tensor([6., 8., 10.], dtype=torch.float64))
