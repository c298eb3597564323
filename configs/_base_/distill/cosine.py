# Plain cosine alignment of the (projected) pooled student feature with the
# raw teacher feature. Composed like mnf_csc.py.
distill_heads = dict(
    cosine=dict(
        type='FeatureKDHead',
        losses=dict(
            loss_cos=dict(type='CosineAlignmentLoss', loss_weight=1.0))))
distill_optim_wrapper = dict()
