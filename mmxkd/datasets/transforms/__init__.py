# Copyright (c) mmxkd contributors. All rights reserved.
from .loading import LoadAudioSpectrogram, LoadTeacherFeature, SpectrogramWindow

__all__ = ['LoadAudioSpectrogram', 'LoadTeacherFeature', 'SpectrogramWindow']
