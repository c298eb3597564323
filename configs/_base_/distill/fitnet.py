# FitNets: a learned regressor from the pooled student feature to the raw
# teacher feature, MSE. Composed like mnf_csc.py.
distill_heads = dict(
    fitnet=dict(
        type='FeatureKDHead',
        losses=dict(loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0))))
distill_optim_wrapper = dict()
