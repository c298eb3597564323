# FitNet-style feature regression: a linear regressor maps the student's
# pooled 128-d feature onto the 512-d audio feature (MSE).
_base_ = [
    '../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-8x32.py',
    '../_base_/distill/fitnet.py'
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
