# MNF + CSC on ActivityNet (200 classes) as in the reference: t = 0.2,
# batch 64 (8 GPUs x 8).
_base_ = [
    '../_base_/models/distiller_r2plus1d_r10.py',
    '../_base_/datasets/activitynet_av_distill.py',
    '../_base_/schedules/adam_200e.py', '../_base_/default_runtime.py'
]

model = dict(
    student=dict(cls_head=dict(num_classes=200)),
    teacher=dict(
        type='PrecomputedTeacher',
        feat_dim=512,
        classifier=dict(checkpoint=None)),
    heads=dict(
        mnf_csc=dict(
            type='MNFCSCHead',
            mnf=dict(type='ModalityNoiseFilter', num_heads=2),
            loss_csc=dict(
                type='CSCLoss',
                threshold=0.2,
                adaptive_temperature=True,
                loss_weight=1.0),
            loss_cls_n=dict(type='mmaction.CrossEntropyLoss', loss_weight=1.0),
            loss_gate=dict(type='GateSparsityLoss', loss_weight=0.001),
            loss_tri=dict(
                type='CrossModalTripletLoss', margin=0.2, loss_weight=1.0))))
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'distill_heads.mnf_csc.mnf': dict(lr_mult=0.2)}))
auto_scale_lr = dict(base_batch_size=64)
