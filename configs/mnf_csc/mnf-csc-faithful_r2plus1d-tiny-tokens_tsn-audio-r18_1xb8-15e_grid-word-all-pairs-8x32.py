# MNF + CSC exactly as the reference sets it (the heads of
# as ./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-8x32.py)
# with batches of 4 same-word pairs (../student_only/student_r2plus1d-tiny-
# tokens_1xb8-15e_grid-word-all-pairs-8x32.py), so that CSC's positives are
# other clips of the word and not only each clip's own calibrated feature.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

train_dataloader = dict(
    sampler=dict(
        _delete_=True,
        type='ClassBalancedSampler',
        batch_size=8,
        clips_per_class=2))
