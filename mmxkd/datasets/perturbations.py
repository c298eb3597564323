# Copyright (c) mmxkd contributors. All rights reserved.
"""What a training set's options change in its samples, after the checks:
sound swap (irrelevant sound from a clip of another class) and label
withholding (a label-scarce training set); both choose with a seeded
generator, so every build, process and epoch sees the same samples."""
from collections import defaultdict
from typing import Dict, FrozenSet, List

import numpy as np
from mmengine.logging import print_log

from .sample_checks import label_set


def swap_sounds(data_list: List[dict], ratio: float, seed: int,
                ann_file: str) -> None:
    """Give ``round(ratio * len(data_list))`` of the samples, drawn with
    ``numpy.random.default_rng(seed)``, the sound of a donor drawn from the
    samples that share none of their labels: their ``audio_path`` and
    ``teacher_feat_path`` become the donor's, ``sound_relpath`` the donor's
    ``relpath``, and ``sound_swapped`` True; label and video stay.

    Args:
        data_list (list[dict]): The samples, changed in place; each has
            ``label``, ``relpath`` and the sound keys.
        ratio (float): Share of the samples swapped, in [0, 1]
            (``swap_sound_ratio``).
        seed (int): Seed of the choice of samples and donors
            (``swap_sound_seed``).
        ann_file (str): The annotation file, named in the error.

    Raises:
        ValueError: A chosen sample shares a label with every sample.
    """
    num_swapped = round(ratio * len(data_list))
    if num_swapped == 0:
        return
    sound_keys = [
        key for key in ('audio_path', 'teacher_feat_path')
        if key in data_list[0]
    ]
    originals = [info.copy() for info in data_list]
    label_sets = [label_set(info['label']) for info in data_list]
    with_label: Dict[int, List[int]] = {}
    for index, labels in enumerate(label_sets):
        for label in labels:
            with_label.setdefault(label, []).append(index)
    donors: Dict[FrozenSet[int], np.ndarray] = {}
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(data_list), size=num_swapped, replace=False)
    for index in sorted(chosen.tolist()):
        labels = label_sets[index]
        if labels not in donors:
            allowed = np.ones(len(data_list), dtype=bool)
            for label in labels:
                allowed[with_label[label]] = False
            donors[labels] = np.flatnonzero(allowed)
        candidates = donors[labels]
        if len(candidates) == 0:
            raise ValueError(
                f'swap_sound_ratio={ratio}: every sample of {ann_file} '
                f'shares a label with {data_list[index]["relpath"]} (labels '
                f'{sorted(labels)}), so no sound of another class can '
                'replace its sound')
        donor = originals[candidates[rng.integers(len(candidates))]]
        info = data_list[index]
        info.update({key: donor[key] for key in sound_keys})
        info['sound_relpath'] = donor['relpath']
        info['sound_swapped'] = True


def withhold_labels(data_list: List[dict], ratio: float, seed: int,
                    ann_file: str) -> None:
    """Keep the label of ``max(1, round(ratio * n_c))`` of the ``n_c``
    samples of each class c, drawn in class order with
    ``numpy.random.default_rng(seed)``, set the others' to -1 and flag every
    sample's ``labelled``; prints how many keep their label.

    Args:
        data_list (list[dict]): Single-label samples, changed in place.
        ratio (float): Share of each class's samples that keep their label,
            in (0, 1] (``labelled_ratio``).
        seed (int): Seed of the choice (``labelled_seed``).
        ann_file (str): The annotation file, named in the log.
    """
    by_class: Dict[int, List[int]] = defaultdict(list)
    for index, info in enumerate(data_list):
        by_class[info['label']].append(index)
    rng = np.random.default_rng(seed)
    kept = set()
    for label in sorted(by_class):
        members = by_class[label]
        num_kept = max(1, round(ratio * len(members)))
        kept.update(
            rng.choice(members, size=num_kept, replace=False).tolist())
    for index, info in enumerate(data_list):
        info['labelled'] = index in kept
        if not info['labelled']:
            info['label'] = -1
    print_log(
        f'labelled_ratio={ratio} (labelled_seed={seed}): {len(kept)} of the '
        f'{len(data_list)} training clips of {ann_file} keep their label, '
        f'at least one of each of the {len(by_class)} classes; the others '
        'train without it',
        logger='current')
