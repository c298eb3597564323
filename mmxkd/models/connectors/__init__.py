# Copyright (c) mmxkd contributors. All rights reserved.
from .modality_noise_filter import ModalityNoiseFilter

__all__ = ['ModalityNoiseFilter']
