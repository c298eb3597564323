# Hinton KD on the label-scarce all-words testbed (50 % of the training
# clips labelled): the teacher's softened logits on every clip, labelled or
# not; the student's cross-entropy on the labelled 50 % only. Data and
# schedule of ../student_only/student_r2plus1d-tiny-tokens_1xb8-15e_
# grid-word-all-50pct-8x32.py.
_base_ = [
    '../student_only/'
    'student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-50pct-8x32.py',
    '../_base_/distill/kd.py'
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
