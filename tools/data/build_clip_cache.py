# Copyright (c) mmxkd contributors. All rights reserved.
"""Decode the videos of a config's datasets into their clip cache
(``ClipCacheInit``) ahead of training.

The logic is :mod:`mmxkd.datasets.preparation.clip_cache`; ``--help``
describes it.
"""
from mmxkd.datasets.preparation.clip_cache import main

if __name__ == '__main__':
    main()
