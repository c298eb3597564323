# Copyright (c) mmxkd contributors. All rights reserved.
from mmcv.transforms import BaseTransform

from mmxkd.registry import TRANSFORMS
from ..audio_visual_dataset import load_teacher_feature


@TRANSFORMS.register_module()
class LoadTeacherFeature(BaseTransform):
    """Load the clip's precomputed teacher feature.

    Required keys: ``teacher_feat_path``. Added keys: ``teacher_feat``
    (Da, ) float32. Pack it with
    ``PackActionInputs(algorithm_keys=('teacher_feat', ))``. A missing or
    corrupt file raises an error with its path; nothing is replaced by zeros.
    """

    def transform(self, results: dict) -> dict:
        if 'teacher_feat_path' not in results:
            raise KeyError(
                'LoadTeacherFeature needs "teacher_feat_path": give the '
                "dataset data_prefix=dict(video=..., teacher=...)")
        results['teacher_feat'] = load_teacher_feature(
            results['teacher_feat_path'])
        return results
