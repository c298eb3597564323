# Copyright (c) mmxkd contributors. All rights reserved.
from .cross_modal_triplet_loss import CrossModalTripletLoss
from .csc_loss import CSCLoss
from .gate_sparsity_loss import GateSparsityLoss

__all__ = ['CSCLoss', 'CrossModalTripletLoss', 'GateSparsityLoss']
