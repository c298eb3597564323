# MNF + CSC on ActivityNet (200 classes) as in the reference: t = 0.2,
# batch 64 (8 GPUs x 8).
_base_ = [
    '../_base_/models/mnf_csc_r2plus1d_r10.py',
    '../_base_/datasets/activitynet_av.py', '../_base_/schedules/adam_200e.py',
    '../_base_/default_runtime.py'
]

model = dict(
    student=dict(cls_head=dict(num_classes=200)),
    neck=dict(num_classes=200),
    distill_losses=dict(loss_csc=dict(threshold=0.2)))
auto_scale_lr = dict(base_batch_size=64)

# The MNF learns at 0.2x the student's learning rate.
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys=dict(distill_neck=dict(lr_mult=0.2))))

# Train on the videos with their teacher features.
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        pipeline={{_base_.distill_train_pipeline}}))
