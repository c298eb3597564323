# MNF + CSC exactly as the reference sets it (../_base_/distill/mnf_csc.py)
# on the label-scarce scene clips of `make demo`, with the student, data and
# schedule of ../student_only/student_r2plus1d-tiny-tokens_1xb8-20e_
# synthetic-av-scenes-25pct.py (25 % of the training clips labelled, 16
# tokens for the MNF's attention). The label terms skip the unlabelled clips
# (MNFCSCHead's unlabelled='skip', the default). The demo's recommended
# variant extends this file:
# ./mnf-csc-teacher-labels_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-20e_synthetic-av-scenes-25pct.py
_base_ = [
    '../student_only/'
    'student_r2plus1d-tiny-tokens_1xb8-20e_synthetic-av-scenes-25pct.py',
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
