# CRD with the paper's defaults. The memory banks are sized from the training
# set when training starts (TrainSetSizeHook in default_runtime.py), so the
# same config runs on any split. The CRD leaves (configs/crd/) spell these
# heads themselves; this fragment is what a hand-written config composes
# with {{_base_.distill_heads}} (tests/engine/test_train_set_size_hook.py).
distill_heads = dict(
    crd=dict(
        type='CRDHead',
        loss_crd=dict(
            type='CRDLoss',
            embed_dim=128,
            num_negatives=16384,
            temperature=0.07,
            momentum=0.5,
            loss_weight=0.8)))
distill_optim_wrapper = dict()
