# The reference's student trained alone on UCF51 (no teacher).
_base_ = [
    '../_base_/models/distiller_r2plus1d_r10.py',
    '../_base_/datasets/ucf51_av.py', '../_base_/schedules/adam_200e.py',
    '../_base_/default_runtime.py'
]
