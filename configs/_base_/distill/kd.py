# Hinton KD on the teacher classifier's logits (T = 4). The dataset base's
# distill_teacher must carry the teacher's classifier (its checkpoint).
# Composed like mnf_csc.py.
distill_heads = dict(
    kd=dict(
        type='LogitKDHead',
        loss_kd=dict(type='KDLoss', temperature=4.0, loss_weight=1.0)))
distill_optim_wrapper = dict()
