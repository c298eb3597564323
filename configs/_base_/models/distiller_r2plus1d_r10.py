# The reference's R(2+1)D student (r2plus1d_r10.py) inside CrossModalDistiller
# with no teacher yet: the student alone, which a distillation leaf extends
# with a teacher and heads (configs/_base_/distill/).
_base_ = './r2plus1d_r10.py'

model = dict(
    _delete_=True,
    type='CrossModalDistiller',
    student={{_base_.model}})
