# GRID tagging, video side: the 6 words of each sentence as tags over a
# 51-word vocabulary (sentence/tags_*.txt of tools/data/grid/prepare_grid.py),
# from 8 frames of 32x32 mouth crops (as grid_command_8x32.py). The video
# teacher of the reverse direction (video -> audio) trains on it.
dataset_type = 'AudioVisualDataset'
video_root = 'data/grid/videos'
teacher_root = 'data/grid/teacher_feats/command'
teacher_feat_dim = 512
# the audio teacher (configs/audio_teacher) whose features fill teacher_root,
# for the heads that read its classifier
teacher_checkpoint = (
    'work_dirs/tsn-audio_r18_1xb16-15e_grid-command-logmel/epoch_15.pth')
ann_file_train = 'data/grid/sentence/tags_train.txt'
ann_file_val = 'data/grid/sentence/tags_val.txt'
ann_file_test = 'data/grid/sentence/tags_test.txt'
num_classes = 51
mouth = (120, 165, 240, 255)  # x1, y1, x2, y2 in the 360x288 frames
# the mouth crops of every video, decoded once (ClipCacheInit; prebuilt by
# tools/data/build_clip_cache.py)
clip_cache_dir = 'data/grid/clip_cache'

train_pipeline = [
    dict(type='ClipCacheInit', cache_dir=clip_cache_dir, crop=mouth),
    dict(
        type='SampleFrames',
        clip_len=8,
        frame_interval=8,
        num_clips=1),
    dict(type='ClipCacheDecode'),
    dict(
        type='RandomResizedCrop',
        area_range=(0.7, 1.0),
        aspect_ratio_range=(3 / 4, 4 / 3)),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
distill_train_pipeline = train_pipeline[:-1] + [
    dict(type='LoadTeacherFeature'),
    dict(
        type='PackActionInputs', algorithm_keys=('teacher_feat', 'sample_idx'))
]
val_pipeline = [
    dict(type='ClipCacheInit', cache_dir=clip_cache_dir, crop=mouth),
    dict(
        type='SampleFrames',
        clip_len=8,
        frame_interval=8,
        num_clips=1,
        test_mode=True),
    dict(type='ClipCacheDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    # a last batch of one clip would break BatchNorm heads (the MNF)
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_train,
        data_prefix=dict(video=video_root),
        num_classes=num_classes,
        multi_class=True,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_val,
        data_prefix=dict(video=video_root),
        num_classes=num_classes,
        multi_class=True,
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_test,
        data_prefix=dict(video=video_root),
        num_classes=num_classes,
        multi_class=True,
        pipeline=test_pipeline,
        test_mode=True))

val_evaluator = dict(type='MultiLabelMAPMetric')
test_evaluator = val_evaluator
