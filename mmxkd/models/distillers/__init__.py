# Copyright (c) mmxkd contributors. All rights reserved.
from ..utils import to_tokens
from .cross_modal_distiller import CrossModalDistiller

__all__ = ['CrossModalDistiller', 'to_tokens']
