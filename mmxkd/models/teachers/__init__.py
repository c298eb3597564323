# Copyright (c) mmxkd contributors. All rights reserved.
from .precomputed_teacher import PrecomputedTeacher

__all__ = ['PrecomputedTeacher']
