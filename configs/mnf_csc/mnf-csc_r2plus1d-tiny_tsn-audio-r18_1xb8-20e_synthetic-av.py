# MNF + CSC on the generated clips (tools/data/synthetic): runs on a CPU in
# minutes. The teacher features are the 512-d embeddings of the audio
# teacher configs/audio_teacher/tsn-audio_r18_1xb16-5e_synthetic-av-logmel.py
# (tools/extract_teacher_features.py). Same losses and optimizer as the
# reference configs.
_base_ = [
    '../_base_/models/mnf_csc_r2plus1d_r10.py',
    '../_base_/datasets/synthetic_av.py', '../_base_/schedules/adam_20e.py',
    '../_base_/default_runtime.py'
]

model = dict(
    student=dict(
        backbone=dict(base_channels=16),
        cls_head=dict(num_classes=4, in_channels=128, dropout_ratio=0.2)),
    teacher=dict(feat_dim=512),
    neck=dict(teacher_dim=512, student_dim=128, num_classes=4))

# The MNF learns at 0.2x the student's learning rate.
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys=dict(distill_neck=dict(lr_mult=0.2))))

# Train on the videos with their teacher features.
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        pipeline={{_base_.distill_train_pipeline}}))
