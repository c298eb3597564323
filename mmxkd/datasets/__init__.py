# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.datasets  # noqa: F401  (fills the parent registry)

from .audio_visual_dataset import AudioVisualDataset, SampleLoadError
from .samplers import ClassBalancedSampler
from .transforms import *  # noqa: F401,F403
from .wrappers import IrrelevantSoundDataset

__all__ = [
    'AudioVisualDataset', 'ClassBalancedSampler', 'IrrelevantSoundDataset',
    'SampleLoadError'
]
