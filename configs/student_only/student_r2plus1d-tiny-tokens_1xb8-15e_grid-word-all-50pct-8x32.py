# The label-scarce all-words testbed with half of the labels: the student
# alone of ./student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py
# keeps the labels of 50 % of each word's training clips (labelled_seed 0,
# AudioVisualDataset). At 25 % the student alone stays at the majority-class
# level for its 15 epochs (configs/mnf_csc/README.md), so that testbed
# cannot show what a teacher adds to a student that learns; at 50 % it
# does learn. Each 50 % distillation config sets the same ratio on its
# method's main leaf.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = './student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py'

train_dataloader = dict(dataset=dict(labelled_ratio=0.5))
