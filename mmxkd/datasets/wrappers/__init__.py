# Copyright (c) mmxkd contributors. All rights reserved.
from .irrelevant_sound_dataset import IrrelevantSoundDataset

__all__ = ['IrrelevantSoundDataset']
