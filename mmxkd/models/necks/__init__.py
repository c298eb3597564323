# Copyright (c) mmxkd contributors. All rights reserved.
from .mnf import ModalityNoiseFilter

__all__ = ['ModalityNoiseFilter']
