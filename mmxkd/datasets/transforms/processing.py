# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Sequence

from mmcv.transforms import BaseTransform

from mmxkd.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RegionCrop(BaseTransform):
    """Crop every frame to a fixed box, e.g. the mouth region of a frontal
    talking-face corpus such as GRID, where the face does not move.

    Required keys: ``imgs`` (list of (H, W, C) arrays). Modified keys:
    ``imgs``, ``img_shape``; added: ``crop_bbox``.

    Args:
        box (Sequence[int]): ``(x1, y1, x2, y2)`` in pixels of the decoded
            frames; it must lie inside them.
    """

    def __init__(self, box: Sequence[int]) -> None:
        if len(box) != 4 or not (0 <= box[0] < box[2]
                                 and 0 <= box[1] < box[3]):
            raise ValueError(f'box must be (x1, y1, x2, y2) with x1 < x2 and '
                             f'y1 < y2, got {box}')
        self.box = tuple(int(v) for v in box)

    def transform(self, results: dict) -> dict:
        x1, y1, x2, y2 = self.box
        height, width = results['imgs'][0].shape[:2]
        if x2 > width or y2 > height:
            raise ValueError(f'RegionCrop box {self.box} exceeds the '
                             f'{width}x{height} frames of '
                             f'{results.get("filename", "the video")}')
        results['imgs'] = [img[y1:y2, x1:x2] for img in results['imgs']]
        results['img_shape'] = (y2 - y1, x2 - x1)
        results['crop_bbox'] = self.box
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(box={self.box})'
