# The reference's student: R(2+1)D with one block per stage (called "18"
# there), trained from scratch. Its last stage on 16x112x112 clips is
# (512, 2, 7, 7): L = 98 tokens of Dv = 512.
_base_ = 'mmaction::_base_/models/r2plus1d_r34.py'

model = dict(
    backbone=dict(
        depth=18,
        stage_blocks=(1, 1, 1, 1),
        norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3)),
    cls_head=dict(num_classes=51, in_channels=512))
