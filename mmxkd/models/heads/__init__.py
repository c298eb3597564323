# Copyright (c) mmxkd contributors. All rights reserved.
from .base_distill_head import BaseDistillHead
from .crd_head import CRDHead
from .csc_head import CSCHead
from .distill_inputs import DistillInputs
from .feature_kd_head import FeatureKDHead
from .logit_kd_head import LogitKDHead
from .mnf_csc_head import MNFCSCHead

__all__ = [
    'BaseDistillHead', 'CRDHead', 'CSCHead', 'DistillInputs',
    'FeatureKDHead', 'LogitKDHead', 'MNFCSCHead'
]
