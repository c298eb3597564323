# A narrow R(2+1)D (base width 16, one block per stage) for CPU runs on the
# generated clips: its last stage is (128, 1, 2, 2) on 8x48x48 clips (4
# tokens) and (128, 1, 1, 1) on 8x32x32 (1 token: an MNF over it cannot
# attend anywhere).
_base_ = './r2plus1d_r10.py'

model = dict(
    backbone=dict(base_channels=16),
    cls_head=dict(num_classes=4, in_channels=128, dropout_ratio=0.2))
