# The reference's R(2+1)D student alone on ActivityNet (200 classes), batch
# 64 (8 GPUs x 8): the baseline of the MNF + CSC ActivityNet config.
_base_ = [
    '../_base_/models/distiller_r2plus1d_r10.py',
    '../_base_/datasets/activitynet_av.py', '../_base_/schedules/adam_200e.py',
    '../_base_/default_runtime.py'
]

model = dict(student=dict(cls_head=dict(num_classes=200)))
auto_scale_lr = dict(base_batch_size=64)
