# Copyright (c) mmxkd contributors. All rights reserved.
from .mnf import ModalityNoiseFilter
from .teacher_projector import TeacherProjector

__all__ = ['ModalityNoiseFilter', 'TeacherProjector']
