# MNF + CSC on the generated clips (tools/data/synthetic): runs on a CPU in
# minutes. The teacher features are the 512-d embeddings of the audio
# teacher configs/audio_teacher/tsn-audio_r18_1xb16-5e_synthetic-av-logmel.py
# (tools/extract_teacher_features.py). Same losses and optimizer as the
# reference configs.
_base_ = [
    '../student_only/student_r2plus1d-tiny_1xb8-20e_synthetic-av.py',
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
