# The reference's student: R(2+1)D with one block per stage (called "18"
# there), trained from scratch. MMAction2's ResNet2Plus1d always max-pools
# after conv1, so its last stage on 16x112x112 clips is (512, 2, 4, 4):
# L = 32 tokens of Dv = 512 (the reference's (512, 2, 7, 7) = 98 needs
# backbone.pool1_stride_s=1).
_base_ = 'mmaction::_base_/models/r2plus1d_r34.py'

model = dict(
    backbone=dict(
        depth=18,
        stage_blocks=(1, 1, 1, 1),
        norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3)),
    cls_head=dict(num_classes=51, in_channels=512))
