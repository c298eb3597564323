# Copyright (c) mmxkd contributors. All rights reserved.
"""The log of a dataset's teacher feature norms, printed when it is built: a
broken extraction shows as a norm far above the others."""
import logging
from typing import Dict

import numpy as np
from mmengine.logging import print_log

# a teacher feature norm this many times the median is warned about
NORM_RATIO_WARN = 1e3


def log_feature_norms(norms: Dict[str, float], ann_file: str) -> None:
    """Print the range of the teacher features' L2 norms, and warn when the
    largest is more than ``NORM_RATIO_WARN`` times the median of the
    non-zero ones.

    Args:
        norms (dict[str, float]): L2 norm of each teacher feature, by path;
            not empty.
        ann_file (str): The dataset's annotation file, named in the log.
    """
    values = np.array(list(norms.values()))
    median = float(np.median(values))
    largest = max(norms, key=norms.get)
    print_log(
        f'{len(values)} teacher features in {ann_file}: L2 norm min '
        f'{values.min():.4g} / median {median:.4g} / max {values.max():.4g}',
        logger='current')
    nonzero = values[values > 0]
    reference = float(np.median(nonzero)) if len(nonzero) else 0.0
    if reference > 0 and norms[largest] > NORM_RATIO_WARN * reference:
        print_log(
            f'the largest teacher feature, {largest}, has an L2 norm of '
            f'{norms[largest]:.4g}, {norms[largest] / reference:.3g} times '
            f'the median of the non-zero ones ({reference:.4g}): a broken '
            'extraction?',
            logger='current',
            level=logging.WARNING)
