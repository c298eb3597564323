# The token-keeping student alone on every GRID word (all six slots, 51-way)
# at 8x32x32: the first row of the all-word comparison and the base every
# method of it extends. Its last stage has 16 tokens, so an MNF over it can
# attend (../_base_/models/r2plus1d_tiny_tokens.py); schedule and lr as the
# command-word student.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny_tokens.py',
    '../_base_/datasets/grid_word_all_8x32.py',
    '../_base_/schedules/adam_15e.py', '../_base_/default_runtime.py'
]

model = dict(student=dict(cls_head=dict(num_classes=51)))
test_cfg = dict(type='RetrievalTestLoop')
optim_wrapper = dict(optimizer=dict(lr=0.001))
