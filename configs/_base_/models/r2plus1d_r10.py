# The reference's student: R(2+1)D with one block per stage (called "18"
# there), trained from scratch; MMAction2's r2plus1d_r34.py with
# stage_blocks (1, 1, 1, 1), written out (``_scope_``: MMAction2's models).
# MMAction2's ResNet2Plus1d always max-pools after conv1, so its last stage
# on 16x112x112 clips is (512, 2, 4, 4): L = 32 tokens of Dv = 512 (the
# reference's (512, 2, 7, 7) = 98 needs backbone.pool1_stride_s=1).

model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet2Plus1d',
        depth=18,
        stage_blocks=(1, 1, 1, 1),
        pretrained=None,
        pretrained2d=False,
        norm_eval=False,
        conv_cfg=dict(type='Conv2plus1d'),
        norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3),
        conv1_kernel=(3, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=1,
        inflate=(1, 1, 1, 1),
        spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 2, 2, 2),
        zero_init_residual=False),
    cls_head=dict(
        type='I3DHead',
        num_classes=51,
        in_channels=512,
        spatial_type='avg',
        dropout_ratio=0.5,
        init_std=0.01,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'),
    _scope_='mmaction')
