# ./mnf-csc-teacher-labels_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# with irrelevant sound: 30 % of the training clips (the same ones in every
# run: swap_sound_seed 0) carry the sound and teacher feature of a clip of another word
# (swap_sound_ratio), so the teacher's label and feature are wrong for
# them. The student alone is unaffected (it reads no sound): its row of the
# clean comparison is this one's baseline.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./mnf-csc-faithful_r2plus1d-tiny-tokens_tsn-audio-r18_'
          '1xb8-15e_grid-word-all-8x32.py')

model = dict(
    heads=dict(
        mnf_csc=dict(loss_csc=dict(loss_weight=0.1), unlabelled='teacher')))
train_dataloader = dict(
    dataset=dict(labelled_ratio=0.25, swap_sound_ratio=0.3))
