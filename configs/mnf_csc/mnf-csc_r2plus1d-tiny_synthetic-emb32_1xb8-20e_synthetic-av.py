# MNF + CSC on the generated clips (tools/data/synthetic): runs on a CPU in
# minutes. Same losses and optimizer as the reference configs.
_base_ = [
    '../_base_/models/mnf_csc_r2plus1d_r10.py',
    '../_base_/datasets/synthetic_av.py', '../_base_/schedules/adam_20e.py',
    '../_base_/default_runtime.py'
]

model = dict(
    student=dict(
        backbone=dict(base_channels=16),
        cls_head=dict(num_classes=4, in_channels=128, dropout_ratio=0.2)),
    teacher=dict(feat_dim=32),
    neck=dict(teacher_dim=32, student_dim=128, num_classes=4))

# The MNF learns at 0.2x the student's learning rate.
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys=dict(distill_neck=dict(lr_mult=0.2))))
