# MNF + CSC exactly as the reference sets it (../_base_/distill/mnf_csc.py:
# loss weights 1, gate sparsity 0.001, margin 0.2, adaptive temperature with
# t = 0.07, 2 heads, the MNF at 0.2x the student's lr) on every GRID word
# (all six slots, 51-way), with the token-keeping student (16 tokens at
# 8x32x32) and the data and schedule of
# ../student_only/student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py.
# The only deviation is the one the sizes force: the 512-d teacher is
# projected to the student's 128 channels, without a bias (the reference has
# Da = Dv and no projection).
_base_ = [
    '../student_only/'
    'student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py',
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
