# CSC on the raw teacher feature, without the MNF (an ablation of MNF + CSC):
# CSC between the student and the (linearly projected, when the sizes
# differ) teacher feature, with the reference's CSC settings. Composed like
# mnf_csc.py.
distill_heads = dict(
    csc=dict(
        type='CSCHead',
        loss_csc=dict(
            type='CSCLoss',
            threshold=0.07,
            adaptive_temperature=True,
            loss_weight=1.0)))
distill_optim_wrapper = dict()
