# ./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-pairs-8x32.py
# (the reference's MNF + CSC on batches of 4 same-word pairs) with one
# deviation: CSC's positives for v_i are the calibrated features z_j of the
# other clips of its word, not its own z_i (CSCLoss own_clip='excluded', as
# supervised contrastive learning leaves out the anchor). With its own z_i
# as a positive, CSC can be solved by matching v_i to a function of the
# same clip's tokens, without the labels: on the all-words testbed that
# instance task kept the student's own loss near the class prior's entropy
# (README.md, the all-words study). The pairs give every clip a partner.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

model = dict(heads=dict(mnf_csc=dict(loss_csc=dict(own_clip='excluded'))))
train_dataloader = dict(
    sampler=dict(
        _delete_=True,
        type='ClassBalancedSampler',
        batch_size=8,
        clips_per_class=2))
