# Copyright (c) mmxkd contributors. All rights reserved.
from .loading import LoadTeacherFeature

__all__ = ['LoadTeacherFeature']
