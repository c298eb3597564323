# MNF + CSC exactly as the reference sets it (../_base_/distill/mnf_csc.py;
# as ./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-8x32.py)
# with batches of 4 same-word pairs (../student_only/student_r2plus1d-tiny-
# tokens_1xb8-15e_grid-word-all-pairs-8x32.py), so that CSC's positives are
# other clips of the word and not only each clip's own calibrated feature.
_base_ = [
    '../student_only/'
    'student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-pairs-8x32.py',
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
