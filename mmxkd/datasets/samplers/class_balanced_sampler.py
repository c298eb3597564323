# Copyright (c) mmxkd contributors. All rights reserved.
from numbers import Integral
from typing import Dict, Iterator, List, Optional, Sized

import torch
from mmengine.dist import get_dist_info, sync_random_seed
from mmengine.logging import print_log
from torch.utils.data import Sampler

from mmxkd.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class ClassBalancedSampler(Sampler):
    """Batches made of groups of ``clips_per_class`` clips of one class.

    A contrastive loss whose positives are the same-class clips of the
    batch (CSC, :class:`~mmxkd.models.losses.CSCLoss`) has almost none with
    many classes and a small batch: 8 random clips of 51 classes hold about
    0.5 same-class pairs, so CSC becomes an instance task. This sampler
    gives every anchor ``clips_per_class - 1`` same-class partners at least.

    Each epoch (seeded by ``seed + epoch``, the same on every rank), each
    class's clips are shuffled and cut into groups of ``clips_per_class``
    (a class's last, incomplete group is left out of that epoch); the
    unlabelled clips of a label-scarce set (label -1) form groups of their
    own, which carry no class. The groups are shuffled and concatenated,
    and the order is cut to a whole number of global batches
    (``batch_size`` x world size). Like MMEngine's ``DefaultSampler`` rank
    ``r`` takes positions ``r, r + W, ...``, so the clips of the ``b``-th
    batches of all ranks are the ``b``-th global batch: 2 processes of 4
    clips see the batches of 1 process of 8. No clip appears twice in an
    epoch, and the epoch's length is the same every epoch.

    Args:
        dataset (Sized): A dataset with one class index per clip in
            ``get_data_info(i)['label']`` (-1: unlabelled).
        batch_size (int): The clips per process and step: the dataloader's
            ``batch_size`` (set both from one value in the config), a
            multiple of ``clips_per_class``.
        clips_per_class (int): Clips of one class in a group. Defaults to 2.
        seed (int, optional): The shuffling seed, the same on every rank;
            None draws one and shares it. Defaults to None.
    """

    def __init__(self,
                 dataset: Sized,
                 batch_size: int,
                 clips_per_class: int = 2,
                 seed: Optional[int] = None) -> None:
        if clips_per_class < 1 or batch_size < 1 or (batch_size %
                                                     clips_per_class):
            raise ValueError(
                'ClassBalancedSampler: batch_size must be a positive multiple '
                'of clips_per_class (train_dataloader.sampler), got '
                f'batch_size={batch_size}, clips_per_class={clips_per_class}')
        self.rank, self.world_size = get_dist_info()
        self.dataset = dataset
        self.clips_per_class = clips_per_class
        self.global_batch = batch_size * self.world_size
        self.seed = sync_random_seed() if seed is None else seed
        self.epoch = 0
        self.by_class = self._group_by_class(dataset)
        grouped = sum(
            len(clips) // clips_per_class * clips_per_class
            for clips in self.by_class.values())
        self.total_size = grouped // self.global_batch * self.global_batch
        if self.total_size == 0:
            raise ValueError(
                f'ClassBalancedSampler: {len(dataset)} clips make no whole '
                f'batch of {self.global_batch} in groups of {clips_per_class}'
                ' (train_dataloader.batch_size, sampler.clips_per_class)')
        print_log(
            f'ClassBalancedSampler: {len(dataset)} clips of '
            f'{len(self.by_class)} classes in groups of {clips_per_class}, '
            f'{self.total_size // self.global_batch} batches of '
            f'{self.global_batch} per epoch ({len(dataset) - self.total_size}'
            ' clips sit out each epoch)',
            logger='current')

    @staticmethod
    def _group_by_class(dataset: Sized) -> Dict[int, List[int]]:
        """The clip indices of each class (-1: the unlabelled clips)."""
        by_class: Dict[int, List[int]] = {}
        for index in range(len(dataset)):
            label = dataset.get_data_info(index)['label']
            if not isinstance(label, Integral):
                raise ValueError(
                    'ClassBalancedSampler needs one class index per clip; '
                    f'clip {index} of the training set has label {label!r}')
            by_class.setdefault(int(label), []).append(index)
        return by_class

    def global_order(self) -> List[int]:
        """This epoch's clips of every rank, in global-batch order."""
        generator = torch.Generator()
        generator.manual_seed(self.seed + self.epoch)
        size = self.clips_per_class
        groups = []
        for label in sorted(self.by_class):
            clips = self.by_class[label]
            order = torch.randperm(len(clips), generator=generator).tolist()
            groups += [[clips[i] for i in order[start:start + size]]
                       for start in range(0, len(clips) - size + 1, size)]
        order = torch.randperm(len(groups), generator=generator).tolist()
        indices = [index for i in order for index in groups[i]]
        return indices[:self.total_size]

    def __iter__(self) -> Iterator[int]:
        return iter(
            self.global_order()[self.rank:self.total_size:self.world_size])

    def __len__(self) -> int:
        """The clips of this rank per epoch."""
        return self.total_size // self.world_size

    def set_epoch(self, epoch: int) -> None:
        """Draw the next epoch's groups (the runner calls this)."""
        self.epoch = epoch
