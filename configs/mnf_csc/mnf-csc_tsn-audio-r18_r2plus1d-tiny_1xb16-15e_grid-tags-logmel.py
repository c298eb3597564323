# Reverse direction with the same components: the video teacher
# (configs/video_teacher, 128-d features) teaches the audio student of
# student_only/student_tsn-audio-r18_1xb16-15e_grid-tags-logmel.py through
# MNF + CSC. Labels are tags: the MNF classifier uses binary cross-entropy
# and CSC weighs pairs by the overlap of their tags.
_base_ = [
    '../student_only/student_tsn-audio-r18_1xb16-15e_grid-tags-logmel.py',
    '../_base_/distill/mnf_csc_multilabel.py'
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

