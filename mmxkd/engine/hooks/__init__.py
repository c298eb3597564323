# Copyright (c) mmxkd contributors. All rights reserved.
from .train_set_size_hook import TrainSetSizeHook

__all__ = ['TrainSetSizeHook']
