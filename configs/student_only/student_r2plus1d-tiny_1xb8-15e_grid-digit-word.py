# The lip-reading student of GRID's digit words trained alone.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny.py',
    '../_base_/datasets/grid_digit_word.py', '../_base_/schedules/adam_15e.py',
    '../_base_/default_runtime.py'
]

model = dict(student=dict(cls_head=dict(num_classes=10)))
