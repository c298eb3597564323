# MNF + CSC on GRID's digit-word task: the lip-reading student of
# student_only/student_r2plus1d-tiny_1xb8-15e_grid-digit-word.py taught by the
# audio teacher audio_teacher/tsn-audio_r18_1xb16-15e_grid-digit-word-logmel.py
# (its features from tools/extract_teacher_features.py).
_base_ = [
    '../student_only/student_r2plus1d-tiny_1xb8-15e_grid-digit-word.py',
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
