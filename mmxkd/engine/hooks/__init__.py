# Copyright (c) mmxkd contributors. All rights reserved.
from .train_set_size_hook import TrainSetSizeHook
from .mnf_visualization_hook import MNFVisualizationHook

__all__ = ['TrainSetSizeHook']
__all__ += ['MNFVisualizationHook']
