# The student alone of the `make demo` comparison (tools/run_distillation.py):
# the token-keeping tiny R(2+1)D on the scene clips
# (../_base_/datasets/synthetic_av_scenes.py) with the labels of 25 % of
# each class's training clips (labelled_seed 0; the others keep label -1,
# which the student's loss_cls_v skips). Few labels and a class that sits
# in one quadrant among moving distractors make video alone learn slowly.
# Its last stage at 8x32x32 is (C, T, H, W) = (128, 4, 2, 2): 16 tokens,
# one spatial token per quadrant (../_base_/models/r2plus1d_tiny_tokens.py).
# The demo's MNF + CSC leaves set the same ratio.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny_tokens.py',
    '../_base_/datasets/synthetic_av_scenes.py',
    '../_base_/schedules/adam_20e.py', '../_base_/default_runtime.py'
]

train_dataloader = dict(dataset=dict(labelled_ratio=0.25))
