# MNF + CSC on UCF51 as in the reference: R(2+1)D student from scratch, a
# frozen 512-d audio embedding per clip as the teacher, t = 0.07, batch 32
# (8 GPUs x 4).
_base_ = [
    '../student_only/student_r2plus1d-r10_8xb4-200e_ucf51.py',
    '../_base_/distill/mnf_csc.py'
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
