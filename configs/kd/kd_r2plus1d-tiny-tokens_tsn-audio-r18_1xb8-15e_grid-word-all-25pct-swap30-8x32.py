# ./kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# with irrelevant sound: 30 % of the training clips (the same ones in every
# run: swap_sound_seed 0) carry the sound, teacher feature and teacher
# logits of a clip of another word (swap_sound_ratio), so the teacher is
# wrong for them. The student alone reads no sound: its row of the clean
# label-scarce comparison is this one's baseline.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_'
          'grid-word-all-8x32.py')

train_dataloader = dict(
    dataset=dict(labelled_ratio=0.25, swap_sound_ratio=0.3))
