# MNF + CSC exactly as the reference sets it (the heads of
# as ./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-8x32.py)
# on the label-scarce all-words testbed: 25 % of the training clips
# labelled (../student_only/student_r2plus1d-tiny-tokens_1xb8-15e_
# grid-word-all-25pct-8x32.py). The label terms skip the unlabelled clips
# (MNFCSCHead's unlabelled='skip', the default): CSC and the MNF
# classifier see the labelled 25 %, the gate, attention and triplet all.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

train_dataloader = dict(dataset=dict(labelled_ratio=0.25))
