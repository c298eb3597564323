# Copyright (c) mmxkd contributors. All rights reserved.
from .cosine_alignment_loss import CosineAlignmentLoss
from .crd_loss import CRDLoss
from .cross_modal_triplet_loss import CrossModalTripletLoss
from .csc_loss import CSCLoss
from .fitnet_loss import FitNetLoss
from .gate_sparsity_loss import GateSparsityLoss
from .kd_loss import KDLoss

__all__ = [
    'CSCLoss', 'CRDLoss', 'CosineAlignmentLoss', 'CrossModalTripletLoss',
    'FitNetLoss', 'GateSparsityLoss', 'KDLoss'
]
