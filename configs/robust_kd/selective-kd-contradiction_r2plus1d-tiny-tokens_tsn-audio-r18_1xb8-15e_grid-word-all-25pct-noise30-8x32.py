# ./selective-kd-contradiction_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# with the sound of 30 % of the training clips (the same ones in every run:
# seed 0) replaced by non-speech noise of its length (white, pink or brown
# noise, tones, or a faint hiss), and the teacher's features of that sound.
# Make them with
#   python tools/data/build_irrelevant_sound.py data/grid/words/clips \
#       data/grid/words/all_train.txt data/grid/audio_logmel/words_noise \
#       --kind noise --snr-db 0 --seed 0
#   python tools/extract_teacher_features.py \
#       configs/audio_teacher/tsn-audio_r18_1xb16-15e_grid-word-all-logmel.py \
#       work_dirs/tsn-audio_r18_1xb16-15e_grid-word-all-logmel/epoch_15.pth \
#       --split train --out-dir data/grid/teacher_feats/word_all_noise \
#       --cfg-options \
#       train_dataloader.dataset.data_prefix.audio=data/grid/audio_logmel/words_noise
_base_ = './selective-kd-contradiction_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='IrrelevantSoundDataset',
        kind='noise',
        ratio=0.3,
        seed=0,
        sound_prefix=dict(teacher='data/grid/teacher_feats/word_all_noise'),
        dataset={{_base_.train_dataloader.dataset}}))
