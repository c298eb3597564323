# MNF + CSC on ActivityNet (200 classes) as in the reference: t = 0.2,
# batch 64 (8 GPUs x 8).
_base_ = [
    '../student_only/student_r2plus1d-r10_8xb8-200e_activitynet.py',
    '../_base_/distill/mnf_csc_activitynet.py'
]

model = dict(
    teacher=dict(
        type='PrecomputedTeacher',
        feat_dim={{_base_.teacher_feat_dim}},
        classifier=dict(checkpoint={{_base_.teacher_checkpoint}})),
    heads={{_base_.distill_heads}})
optim_wrapper = {{_base_.distill_optim_wrapper}}
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        teacher_feat_dim={{_base_.teacher_feat_dim}},
        pipeline={{_base_.distill_train_pipeline}}))
