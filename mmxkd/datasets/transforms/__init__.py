# Copyright (c) mmxkd contributors. All rights reserved.
from .loading import LoadAudioSpectrogram, LoadTeacherFeature, SpectrogramWindow
from .processing import RegionCrop

__all__ = [
    'LoadAudioSpectrogram', 'LoadTeacherFeature', 'RegionCrop',
    'SpectrogramWindow'
]
