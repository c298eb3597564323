# ./selective-kd-small-loss_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# with irrelevant sound: 50 % of the training clips (the same
# ones in every run: swap_sound_seed 0) carry the sound, teacher feature and
# teacher logits of a clip of another word.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./selective-kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_'
          'grid-word-all-25pct-8x32.py')

model = dict(heads=dict(selective_kd=dict(score='small_loss')))
train_dataloader = dict(dataset=dict(swap_sound_ratio=0.5))
