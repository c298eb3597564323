# Copyright (c) mmxkd contributors. All rights reserved.
"""The logic of the dataset tools of ``tools/data``: each module has the
``parse_args(argv)`` and ``main(argv=None)`` of one tool.

- ``audio_features``: ``tools/data/build_audio_features.py``
- ``clip_cache``: ``tools/data/build_clip_cache.py``
- ``activitynet``: ``tools/data/activitynet/prepare_activitynet.py``
- ``grid``: ``tools/data/grid/prepare_grid.py``
- ``synthetic``: ``tools/data/synthetic/generate_synthetic_av.py``
- ``ucf51``: ``tools/data/ucf51/prepare_ucf51.py``
"""
