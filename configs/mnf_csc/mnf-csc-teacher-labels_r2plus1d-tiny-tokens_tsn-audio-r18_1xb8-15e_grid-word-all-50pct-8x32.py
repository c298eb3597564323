# ./mnf-csc-teacher-labels_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# on the testbed with half of the labels
# (../student_only/student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-50pct-8x32.py,
# whose labelled_ratio this repeats; tests/configs check that each file's
# ratio is the one its name says).
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

model = dict(
    heads=dict(
        mnf_csc=dict(loss_csc=dict(loss_weight=0.1), unlabelled='teacher')))
train_dataloader = dict(dataset=dict(labelled_ratio=0.5))
