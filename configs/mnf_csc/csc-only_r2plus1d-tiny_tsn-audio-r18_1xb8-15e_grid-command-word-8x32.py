# Ablation on the command word clips: CSC without the MNF, on the raw teacher
# feature (linearly projected to the student's 128 dimensions; the
# temperature follows the raw teacher-student cosine).
_base_ = [
    '../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py',
    '../_base_/distill/csc.py'
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
