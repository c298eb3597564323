# MNF + CSC for multi-hot labels (tagging): the MNF classifier uses binary
# cross-entropy; CSC already weighs pairs by the overlap of their tags.
_base_ = './mnf_csc.py'

distill_heads = dict(
    mnf_csc=dict(loss_cls_n=dict(type='mmaction.BCELossWithLogits')))
