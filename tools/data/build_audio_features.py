# Copyright (c) mmxkd contributors. All rights reserved.
"""Compute log-mel spectrograms of the sound tracks of videos.

The logic is :mod:`mmxkd.datasets.preparation.audio_features`;
``--help`` describes it.
"""
from mmxkd.datasets.preparation.audio_features import main

if __name__ == '__main__':
    main()
