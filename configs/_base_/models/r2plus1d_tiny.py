# A narrow R(2+1)D (base width 16, one block per stage) for CPU runs on the
# generated clips: (128, 1, 3, 3) feature map on 8x48x48 clips.
_base_ = './r2plus1d_r10.py'

model = dict(
    backbone=dict(base_channels=16),
    cls_head=dict(num_classes=4, in_channels=128, dropout_ratio=0.2))
