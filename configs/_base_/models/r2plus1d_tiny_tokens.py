# The narrow R(2+1)D of r2plus1d_tiny.py with a last stage that keeps tokens
# for the MNF: stage 3 does not stride in space, stage 3 and 4 not in time
# (spatial_strides (1, 2, 2, 1), temporal_strides (1, 1, 2, 1)). Measured
# (backbone forward of a zero clip):
#   8x32x32:  (128, 4, 2, 2) = 16 tokens (r2plus1d_tiny.py: (128, 1, 1, 1) = 1)
#   16x48x48: (128, 8, 3, 3) = 72 tokens (r2plus1d_tiny.py: (128, 2, 2, 2) = 8)
# for about 1.5x the convolutions' multiply-adds at 8x32x32 (41 M vs 27 M).
_base_ = './r2plus1d_tiny.py'

model = dict(
    backbone=dict(spatial_strides=(1, 2, 2, 1), temporal_strides=(1, 1, 2, 1)))
