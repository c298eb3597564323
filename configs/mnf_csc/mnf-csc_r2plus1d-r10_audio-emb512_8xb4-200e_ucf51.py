# MNF + CSC on UCF51 as in the reference: R(2+1)D student from scratch, a
# frozen 512-d audio embedding per clip as the teacher, t = 0.07, batch 32
# (8 GPUs x 4).
_base_ = [
    '../_base_/models/mnf_csc_r2plus1d_r10.py',
    '../_base_/datasets/ucf51_av.py', '../_base_/schedules/adam_200e.py',
    '../_base_/default_runtime.py'
]

# The MNF learns at 0.2x the student's learning rate.
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys=dict(distill_neck=dict(lr_mult=0.2))))

# Train on the videos with their teacher features.
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        pipeline={{_base_.distill_train_pipeline}}))
