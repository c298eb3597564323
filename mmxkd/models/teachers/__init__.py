# Copyright (c) mmxkd contributors. All rights reserved.
from .network_teacher import NetworkTeacher
from .precomputed_teacher import PrecomputedTeacher

__all__ = ['NetworkTeacher', 'PrecomputedTeacher']
