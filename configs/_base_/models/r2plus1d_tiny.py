# A narrow R(2+1)D (r2plus1d_r10.py at base width 16) for CPU runs on the
# generated clips: its last stage is (128, 1, 2, 2) on 8x48x48 clips (4
# tokens) and (128, 1, 1, 1) on 8x32x32 (1 token: an MNF over it cannot
# attend anywhere).

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
        base_channels=16,
        spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 2, 2, 2),
        zero_init_residual=False),
    cls_head=dict(
        type='I3DHead',
        num_classes=4,
        in_channels=128,
        spatial_type='avg',
        dropout_ratio=0.2,
        init_std=0.01,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'),
    _scope_='mmaction')
