# Copyright (c) mmxkd contributors. All rights reserved.
from .cross_modal_distiller import CrossModalDistiller, to_tokens

__all__ = ['CrossModalDistiller', 'to_tokens']
