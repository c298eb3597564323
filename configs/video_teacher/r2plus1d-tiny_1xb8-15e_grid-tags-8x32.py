# The video teacher of the reverse direction: the tiny R(2+1)D tags GRID
# sentences (51 words, multi-label, binary cross-entropy) from the lips.
_base_ = [
    '../_base_/models/r2plus1d_tiny.py',
    '../_base_/datasets/grid_tags_8x32.py', '../_base_/schedules/adam_15e.py',
    '../_base_/default_runtime.py'
]

model = dict(
    cls_head=dict(
        num_classes=51,
        average_clips='score',
        multi_class=True,
        loss_cls=dict(type='mmaction.BCELossWithLogits')))
default_hooks = dict(checkpoint=dict(save_best='tagging/mAP', rule='greater'))
