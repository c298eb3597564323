# ./kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# with the sound of 30 % of the training clips (the same ones in every run)
# replaced by non-speech noise of its length, and the teacher's feature of that
# sound (made by the commands in configs/robust_kd/README.md).
_base_ = ('./kd_r2plus1d-tiny-tokens_'
          'tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py')

train_dataloader = dict(dataset=dict(
    _delete_=True, type='IrrelevantSoundDataset', kind='noise', ratio=0.3,
    sound_prefix=dict(teacher='data/grid/teacher_feats/word_all_noise'),
    dataset={{_base_.train_dataloader.dataset}}))
