# The tiny R(2+1)D student (r2plus1d_tiny.py) inside CrossModalDistiller with
# no teacher yet: the student alone, which every distillation method of a
# comparison extends with a teacher and heads (configs/_base_/distill/).
_base_ = './r2plus1d_tiny.py'

model = dict(
    _delete_=True,
    type='CrossModalDistiller',
    student={{_base_.model}})
