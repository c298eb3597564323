# The label-scarce all-words testbed (issue 9, 2c): the student alone of
# ./student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py with the
# labels of 25 % of each word's training clips (at least one per word,
# chosen by labelled_seed, default 0; AudioVisualDataset). The other 75 %
# keep their video, sound and teacher feature with label -1: the student's
# loss_cls_v uses the labelled clips only, a distillation head may use the
# rest. Validation, test and the retrieval gallery keep every label. The
# label-scarce distillation configs set the same ratio on their method's
# main leaf (tests/configs check that each file's ratio is its name's).
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = './student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py'

train_dataloader = dict(dataset=dict(labelled_ratio=0.25))
