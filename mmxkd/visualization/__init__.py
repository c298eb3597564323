# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.visualization  # noqa: F401  (fills the parent registries)

from .mnf import (MNFClip, clip_name, clip_stem, collect_mnf_clips,
                  draw_mnf_clip, find_mnf_head, mnf_clips, mnf_title,
                  temporal_token, unnormalize_frames)
from .mnf_pictures import (build_distiller, build_mnf_dataset, mnf_pipeline,
                           select_clips, visualize_mnf, write_mnf_pictures)

__all__ = [
    'MNFClip', 'build_distiller', 'build_mnf_dataset', 'clip_name',
    'clip_stem', 'collect_mnf_clips', 'draw_mnf_clip', 'find_mnf_head',
    'mnf_clips', 'mnf_pipeline', 'mnf_title', 'select_clips',
    'temporal_token', 'unnormalize_frames', 'visualize_mnf',
    'write_mnf_pictures'
]
