# Copyright (c) mmxkd contributors. All rights reserved.
from .base_distill_head import BaseDistillHead
from .confident_kd_head import ConfidentKDHead
from .crd_head import CRDHead
from .csc_head import CSCHead
from .distill_inputs import DistillInputs
from .feature_kd_head import FeatureKDHead
from .gce_kd_head import GCEKDHead
from .label_agreement_kd_head import LabelAgreementKDHead
from .logit_kd_head import LogitKDHead
from .mnf_csc_head import MNFCSCHead
from .selective_kd_head import SelectiveKDHead

__all__ = [
    'BaseDistillHead', 'ConfidentKDHead', 'CRDHead', 'CSCHead',
    'DistillInputs', 'FeatureKDHead', 'GCEKDHead', 'LabelAgreementKDHead',
    'LogitKDHead', 'MNFCSCHead', 'SelectiveKDHead'
]
