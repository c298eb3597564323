# ./mnf-csc-teacher-labels_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-swap30-8x32.py
# with half of the training clips (swap_sound_seed 0) carrying the sound
# and teacher feature of a clip of another word.
_base_ = ('./mnf-csc-teacher-labels_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-25pct-swap30-8x32.py')

train_dataloader = dict(dataset=dict(swap_sound_ratio=0.5))
