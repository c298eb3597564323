# The all-words testbed with batches of same-word pairs: the student alone
# of ./student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py, its
# training batches of 8 drawn as 4 pairs of clips of one word
# (ClassBalancedSampler) instead of 8 random clips. With 51 words a random
# batch of 8 holds about half a same-word pair, so a contrastive loss over
# the batch (CSC) has no positive but each clip's own: the pairs give every
# clip one. The same sampler for the student alone keeps the comparison
# about the teacher, not the batches. A word's odd clip sits out each epoch
# (a different one every epoch): 210 steps per epoch instead of 213.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = './student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py'

train_dataloader = dict(
    sampler=dict(
        _delete_=True,
        type='ClassBalancedSampler',
        batch_size=8,
        clips_per_class=2))
