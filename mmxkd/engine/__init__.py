# Copyright (c) mmxkd contributors. All rights reserved.
import mmaction.engine  # noqa: F401  (fills the parent registries)

from .hooks import TrainSetSizeHook
from .runner import RetrievalTestLoop, RetrievalValLoop

__all__ = ['RetrievalTestLoop', 'RetrievalValLoop', 'TrainSetSizeHook']

from .hooks import MNFVisualizationHook  # noqa: E402

__all__ += ['MNFVisualizationHook']

from .hooks import NonFiniteLossError, NonFiniteLossHook  # noqa: E402
from .hooks import RandomStateHook  # noqa: E402

__all__ += ['NonFiniteLossError', 'NonFiniteLossHook', 'RandomStateHook']

from .hooks import LastBatchSizeHook  # noqa: E402

__all__ += ['LastBatchSizeHook']
