# ./kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py
# with the sound of 30 % of the training clips (the same ones in every run)
# replaced by non-speech noise of its length, and the teacher's feature of that
# sound (made by the commands in configs/robust_kd/README.md).
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_'
          'grid-word-all-8x32.py')

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='IrrelevantSoundDataset',
        kind='noise',
        ratio=0.3,
        sound_prefix=dict(teacher='data/grid/teacher_feats/word_all_noise'),
        dataset=dict(
            type='AudioVisualDataset',
            ann_file='data/grid/words/all_train.txt',
            data_prefix=dict(
                video='data/grid/words/clips',
                teacher='data/grid/teacher_feats/word_all'),
            num_classes=51,
            pipeline=[
                dict(
                    type='ClipCacheInit',
                    cache_dir='data/grid/clip_cache',
                    crop=(120, 165, 240, 255)),
                dict(
                    type='SampleFrames',
                    clip_len=8,
                    frame_interval=1,
                    num_clips=1),
                dict(type='ClipCacheDecode'),
                dict(
                    type='RandomResizedCrop',
                    area_range=(0.7, 1.0),
                    aspect_ratio_range=(3 / 4, 4 / 3)),
                dict(type='Resize', scale=(32, 32), keep_ratio=False),
                dict(type='FormatShape', input_format='NCTHW'),
                dict(type='LoadTeacherFeature'),
                dict(
                    type='PackActionInputs',
                    algorithm_keys=('teacher_feat', 'sample_idx'))
            ],
            labelled_ratio=0.25,
            teacher_feat_dim=512)))
