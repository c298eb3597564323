# Copyright (c) mmxkd contributors. All rights reserved.
from .train_set_size_hook import TrainSetSizeHook
from .mnf_visualization_hook import MNFVisualizationHook

__all__ = ['TrainSetSizeHook']
__all__ += ['MNFVisualizationHook']
from .non_finite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .random_state_hook import (RandomStateHook, get_random_states,
                                set_random_states)

__all__ += ['NonFiniteLossError', 'NonFiniteLossHook']
__all__ += ['RandomStateHook', 'get_random_states', 'set_random_states']

from .last_batch_size_hook import LastBatchSizeHook  # noqa: E402

__all__ += ['LastBatchSizeHook']

from .mnf_health_hook import MNFHealthHook  # noqa: E402

__all__ += ['MNFHealthHook']

from .trust_score_hook import TrustScoreHook  # noqa: E402

__all__ += ['TrustScoreHook']
