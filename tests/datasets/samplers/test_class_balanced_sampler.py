# Copyright (c) mmxkd contributors. All rights reserved.
from collections import Counter
from unittest import mock

import numpy as np
import pytest

from mmxkd.datasets import ClassBalancedSampler

DIST_INFO = 'mmxkd.datasets.samplers.class_balanced_sampler.get_dist_info'


class Labels:
    """A dataset stand-in: ``get_data_info(i)['label']``."""

    def __init__(self, labels) -> None:
        self.labels = list(labels)

    def __len__(self) -> int:
        return len(self.labels)

    def get_data_info(self, index: int) -> dict:
        return dict(label=self.labels[index])


# 5 classes of unequal size (a letter has 16 clips, a command word 100 on
# GRID), numpy labels as datasets give them
LABELS = Labels(np.int64(c) for c in [0] * 9 + [1] * 6 + [2] * 5 + [3] * 3 +
                [4] * 1)


def batches(sampler, batch_size: int) -> list:
    order = list(sampler)
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]


def test_every_batch_is_groups_of_one_class():
    sampler = ClassBalancedSampler(LABELS, batch_size=4, seed=0)
    # per class, whole groups of 2: 4 + 3 + 2 + 1 + 0 = 10 groups, 20
    # clips, 5 batches of 4
    assert len(sampler) == 20
    for epoch in range(3):
        sampler.set_epoch(epoch)
        order = list(sampler)
        assert len(order) == 20 and len(set(order)) == 20
        for batch in batches(sampler, 4):
            labels = [LABELS.labels[i] for i in batch]
            assert labels[0] == labels[1] and labels[2] == labels[3]
        # the single clip of class 4 never comes: no partner
        assert 23 not in order


def test_each_anchor_has_partners_unlike_random_batches():
    labels = Labels(np.arange(400) % 50)  # 50 classes, 8 clips each
    sampler = ClassBalancedSampler(labels, batch_size=8, clips_per_class=2,
                                   seed=3)
    partners = []
    for batch in batches(sampler, 8):
        counts = Counter(labels.labels[i] for i in batch)
        partners += [counts[labels.labels[i]] - 1 for i in batch]
    assert min(partners) >= 1


def test_order_is_seeded_and_changes_with_the_epoch():
    first = ClassBalancedSampler(LABELS, batch_size=4, seed=5)
    second = ClassBalancedSampler(LABELS, batch_size=4, seed=5)
    assert list(first) == list(second)
    second.set_epoch(1)
    assert list(first) != list(second)
    other = ClassBalancedSampler(LABELS, batch_size=4, seed=6)
    assert list(first) != list(other)


def test_two_ranks_see_the_batches_of_one_process():
    single = ClassBalancedSampler(LABELS, batch_size=4, seed=1)
    ranks = []
    for rank in range(2):
        with mock.patch(DIST_INFO, return_value=(rank, 2)):
            ranks.append(ClassBalancedSampler(LABELS, batch_size=2, seed=1))
    assert len(ranks[0]) == len(ranks[1]) == len(single) // 2
    for epoch in range(2):
        for sampler in [single] + ranks:
            sampler.set_epoch(epoch)
        per_rank = [batches(r, 2) for r in ranks]
        for b, batch in enumerate(batches(single, 4)):
            assert sorted(per_rank[0][b] + per_rank[1][b]) == sorted(batch)


def test_unlabelled_clips_form_groups_of_their_own():
    labels = Labels([0, 0, 1, 1, -1, -1, -1, -1])
    sampler = ClassBalancedSampler(labels, batch_size=4, seed=0)
    assert sorted(sampler) == list(range(8))
    for batch in batches(sampler, 4):
        kinds = [labels.labels[i] for i in batch]
        assert kinds[0] == kinds[1] and kinds[2] == kinds[3]


@pytest.mark.parametrize('kwargs, message', [
    (dict(batch_size=5), 'multiple of clips_per_class'),
    (dict(batch_size=4, clips_per_class=0), 'multiple of clips_per_class'),
    (dict(batch_size=64), 'no whole batch of 64'),
])
def test_bad_sizes_name_the_keys(kwargs, message):
    with pytest.raises(ValueError, match=message) as error:
        ClassBalancedSampler(LABELS, **kwargs)
    assert 'train_dataloader' in str(error.value)


def test_multi_label_clips_are_refused():
    with pytest.raises(ValueError, match='one class index per clip; clip 1'):
        ClassBalancedSampler(Labels([0, [1, 2], 1, 0]), batch_size=2)
