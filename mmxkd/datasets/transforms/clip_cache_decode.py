# Copyright (c) mmxkd contributors. All rights reserved.
import numpy as np
from mmcv.transforms import BaseTransform

from mmxkd.registry import TRANSFORMS


@TRANSFORMS.register_module()
class ClipCacheDecode(BaseTransform):
    """Gather the sampled frames from the clip cache opened by
    :class:`ClipCacheInit`; replaces ``DecordDecode`` (and a fixed
    :class:`RegionCrop`).

    ``frame_inds`` mean what they mean to DecordDecode (decord's
    ``get_batch``): squeezed to 1-D, a negative index counts from the end,
    an index outside ``[-T, T)`` is an error. ``SampleFrames`` already wraps
    indices past the end (``out_of_bound_opt``).

    Required keys: ``clip_cache``, ``frame_inds``. Added keys: ``imgs`` (a
    list of (H, W, 3) uint8 arrays), ``original_shape`` (the decoded frame
    size), ``img_shape``, and ``crop_bbox`` where the cache crops, as
    RegionCrop sets them. ``clip_cache`` is removed.
    """

    def transform(self, results: dict) -> dict:
        cache = results.pop('clip_cache')
        frames = cache['frames']
        if results['frame_inds'].ndim != 1:
            results['frame_inds'] = np.squeeze(results['frame_inds'])
        inds = np.array(results['frame_inds'], dtype=np.int64, ndmin=1)
        total = len(frames)
        inds[inds < 0] += total
        if not ((inds >= 0) & (inds < total)).all():
            raise IndexError(
                f'frame_inds {results["frame_inds"]} outside the {total} '
                f'frames of {results.get("filename", "the video")}')
        imgs = list(frames[inds])
        results['imgs'] = imgs
        results['original_shape'] = cache['original_shape']
        results['img_shape'] = imgs[0].shape[:2]
        if cache['crop'] is not None:
            results['crop_bbox'] = cache['crop']
        return results
