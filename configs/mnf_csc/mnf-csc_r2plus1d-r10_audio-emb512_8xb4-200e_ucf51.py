# MNF + CSC on UCF51 as in the reference: R(2+1)D student from scratch, a
# frozen 512-d audio embedding per clip as the teacher, t = 0.07, batch 32
# (8 GPUs x 4).
_base_ = [
    '../_base_/models/distiller_r2plus1d_r10.py',
    '../_base_/datasets/ucf51_av_distill.py',
    '../_base_/schedules/adam_200e.py', '../_base_/default_runtime.py'
]

model = dict(
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
                threshold=0.07,
                adaptive_temperature=True,
                loss_weight=1.0),
            loss_cls_n=dict(type='mmaction.CrossEntropyLoss', loss_weight=1.0),
            loss_gate=dict(type='GateSparsityLoss', loss_weight=0.001),
            loss_tri=dict(
                type='CrossModalTripletLoss', margin=0.2, loss_weight=1.0))))
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'distill_heads.mnf_csc.mnf': dict(lr_mult=0.2)}))
