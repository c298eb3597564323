# Copyright (c) mmxkd contributors. All rights reserved.
import warnings
from contextlib import contextmanager
from typing import (Callable, Dict, Iterator, List, Optional, Sequence,
                    Tuple, Union)

import torch
import torch.distributed as dist
import torch.distributed.nn.functional as dist_nn
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


def to_tokens(feats: Union[Tensor, Sequence[Tensor]],
              num_segs: Optional[int] = None) -> Tensor:
    """Flatten a student feature map into tokens ``V`` (N, L, C).

    Accepts the outputs of MMAction2 recognizers: (N, C, T, H, W) from 3D
    backbones, (N * num_segs, C, H, W) from 2D ones (``num_segs`` given by
    ``Recognizer2D.extract_feat``), (N, L, C) tokens or (N, C) vectors; of a
    tuple of stages the last is used.
    """
    if isinstance(feats, (tuple, list)):
        feats = feats[-1]
    if feats.dim() == 5:
        return feats.flatten(2).transpose(1, 2)
    if feats.dim() == 4:
        if not num_segs:
            return feats.flatten(2).transpose(1, 2)
        n_segs, channels = feats.shape[:2]
        feats = feats.view(n_segs // num_segs, num_segs, channels, -1)
        return feats.permute(0, 1, 3, 2).reshape(n_segs // num_segs, -1,
                                                 channels)
    if feats.dim() == 3:
        return feats
    if feats.dim() == 2:
        return feats.unsqueeze(1)
    raise ValueError(f'unsupported student feature shape {tuple(feats.shape)}')


@contextmanager
def buffers_restored(module: nn.Module) -> Iterator[None]:
    """Run a forward pass of ``module`` that leaves its buffers (BatchNorm
    running statistics, counters) as they were: a second pass over the same
    batch must not move them a second time.

    The pass works on copies of the buffers, so the tensors that an earlier
    pass saved for its backward are not modified in place.
    """
    originals = []
    for sub in module.modules():
        for name, buffer in sub._buffers.items():
            if buffer is not None:
                originals.append((sub, name, buffer))
                sub._buffers[name] = buffer.clone()
    try:
        yield
    finally:
        for sub, name, buffer in originals:
            sub._buffers[name] = buffer


@contextmanager
def outputs_recorded(module: nn.Module,
                     names: Sequence[str]) -> Iterator[Dict[str, Tensor]]:
    """Record what the named submodules of ``module`` return during the
    passes run inside the ``with`` block, through forward hooks that are
    removed when it ends.

    Args:
        module (nn.Module): The module whose submodules are recorded.
        names (Sequence[str]): Submodule names, as in
            ``module.named_modules()``.

    Returns:
        A dict filled during the block: name -> the submodule's output (of
        its last call), attached to the graph. A submodule that did not
        run has no entry.
    """
    submodules = dict(module.named_modules()) if names else {}
    outputs: Dict[str, Tensor] = {}

    def recorder(name: str) -> Callable:

        def hook(_module: nn.Module, _args: tuple, output: Tensor) -> None:
            outputs[name] = output

        return hook

    handles = [
        submodules[name].register_forward_hook(recorder(name))
        for name in names
    ]
    try:
        yield outputs
    finally:
        for handle in handles:
            handle.remove()


def world_size() -> int:
    """Processes in the default group; 1 when ``torch.distributed`` is not
    initialised."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_world_size()
    return 1


def gather_batch(tensor: Tensor) -> Tuple[Tensor, slice]:
    """Every rank's batch, concatenated in rank order, and where this rank's
    rows lie in it.

    When ``tensor`` requires gradients the gather is differentiable
    (``torch.distributed.nn.functional.all_gather``): its backward sends
    each rank the sum of the gradients that every rank's loss puts on that
    rank's rows. A loss that is the mean over this rank's anchors, against
    the gathered columns, then gives after DDP's averaging over ranks the
    gradient of the mean over the whole batch, as one process would (with
    the same batch size on every rank, as ``DefaultSampler`` splits it).
    Constants (teacher features, labels) are gathered plainly. Ranks may
    hold batches of different sizes (padded for the collective).

    Without distributed training, or with one process, the tensor itself.

    Args:
        tensor (Tensor): This rank's batch.

    Shapes:
        - tensor: (N_r, ...), N_r clips on rank r
        - returns: (sum_r N_r, ...), and a slice of length N_r
    """
    num = tensor.size(0)
    if world_size() == 1:
        return tensor, slice(0, num)
    sizes = [torch.zeros(1, dtype=torch.long, device=tensor.device)
             for _ in range(world_size())]
    dist.all_gather(sizes, torch.tensor([num], device=tensor.device))
    sizes = [int(size) for size in sizes]
    padded = F.pad(tensor, (0, 0) * (tensor.dim() - 1) +
                   (0, max(sizes) - num)) if max(sizes) > num else tensor
    if tensor.requires_grad:
        with warnings.catch_warnings():
            # torch 2.15 marks it deprecated for the private
            # _functional_collectives; it is the public differentiable one
            warnings.simplefilter('ignore', FutureWarning)
            parts = dist_nn.all_gather(padded.contiguous())
    else:
        parts = [torch.empty_like(padded) for _ in sizes]
        dist.all_gather(parts, padded.contiguous())
    rank = dist.get_rank()
    start = sum(sizes[:rank])
    gathered = torch.cat([part[:size] for part, size in zip(parts, sizes)])
    return gathered, slice(start, start + num)


def labelled_share(labelled: Tensor) -> Tuple[Tensor, float]:
    """Every rank's ``labelled`` mask, gathered, and the factor that turns
    a loss averaged over this rank's labelled clips into its share of the
    mean over the labelled clips of the whole batch: ``n_r * R / K``, with
    ``n_r`` labelled clips here, ``K`` in all and R ranks (after DDP's
    averaging over ranks, the gradient of that mean, as one process holding
    the whole batch would compute); 0 when no clip is labelled.

    Args:
        labelled (Tensor): This rank's clips that keep their label.

    Shapes:
        - labelled: (N_r, ) bool
        - returns: (sum_r N_r, ) bool, and a float
    """
    gathered, _ = gather_batch(labelled.long())
    total = int(gathered.sum())
    scale = int(labelled.sum()) * world_size() / total if total else 0.0
    return gathered.bool(), scale


def labelled_scale(labelled: Optional[Tensor]) -> Optional[float]:
    """How a loss over this rank's labelled clips enters the mean over the
    whole batch's: None when there is no mask or every clip of the whole
    batch is labelled (use the loss over the batch as it is), else
    :func:`labelled_share`'s factor.

    Shapes:
        labelled: (N_r, ) bool, or None
    """
    if labelled is None:
        return None
    all_labelled, scale = labelled_share(labelled)
    return None if bool(all_labelled.all()) else scale


def batch_norm_names(module: nn.Module) -> List[str]:
    """Names of the BatchNorm layers of ``module`` that are training and
    normalise with one process's batch, so need two clips or more on each
    process (SyncBN and GlobalBN1d, whose ``gathers_batch`` is set, see the
    ranks' whole batch in distributed training)."""
    distributed = world_size() > 1
    return [
        name for name, sub in module.named_modules()
        if isinstance(sub, nn.modules.batchnorm._BatchNorm) and sub.training
        and not (distributed and (isinstance(sub, nn.SyncBatchNorm)
                                  or getattr(sub, 'gathers_batch', False)))
    ]
