# Copyright (c) mmxkd contributors. All rights reserved.
from .clip_cache_decode import ClipCacheDecode
from .clip_cache_init import ClipCacheInit
from .loading import LoadAudioSpectrogram, LoadTeacherFeature, SpectrogramWindow
from .processing import RegionCrop

__all__ = [
    'ClipCacheDecode', 'ClipCacheInit', 'LoadAudioSpectrogram',
    'LoadTeacherFeature', 'RegionCrop', 'SpectrogramWindow'
]
