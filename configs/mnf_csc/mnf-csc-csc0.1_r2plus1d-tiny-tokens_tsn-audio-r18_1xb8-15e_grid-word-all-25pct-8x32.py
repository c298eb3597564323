# ./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# (the reference's MNF + CSC, 25 % of the training clips labelled, the label
# terms skipping the rest) with one deviation: CSC weighs 0.1, not 1. At
# weight 1 CSC over a batch of 8 clips of 51 words is an instance task
# (almost no same-word pair but the diagonal) that kept the student's own
# loss_cls_v at about ln 51 for all 15 epochs of the fully labelled
# testbed (README.md, the all-words study).
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

model = dict(heads=dict(mnf_csc=dict(loss_csc=dict(loss_weight=0.1))))
train_dataloader = dict(dataset=dict(labelled_ratio=0.25))
