# ./mnf-csc-csc0.1_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# with the teacher's labels for the unlabelled 75 % (MNFCSCHead's
# unlabelled='teacher'): each unlabelled clip takes the argmax of the
# frozen audio teacher's classifier as its word in CSC's positives and in
# the MNF classifier's cross-entropy. The student's own loss_cls_v still
# uses the true labels of the labelled 25 % only, so the teacher's
# knowledge reaches the student through CSC (which clips are positives,
# the temperature) and through z's attention query.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

model = dict(
    heads=dict(
        mnf_csc=dict(loss_csc=dict(loss_weight=0.1), unlabelled='teacher')))
train_dataloader = dict(dataset=dict(labelled_ratio=0.25))
