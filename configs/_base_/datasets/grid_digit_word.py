# GRID speaker s1, word level: each digit word (zero ... nine) cut from its
# sentence with the alignments, a 10-way label. The student reads the mouth
# region of 8 consecutive frames of the word clip (clips have >= 8 frames).
dataset_type = 'AudioVisualDataset'
video_root = 'data/grid/words/clips'
teacher_root = 'data/grid/teacher_feats/digit_word'
teacher_feat_dim = 512
# the audio teacher (configs/audio_teacher) whose features fill teacher_root,
# for the heads that read its classifier
teacher_checkpoint = None
ann_file_train = 'data/grid/words/digit_train.txt'
ann_file_val = 'data/grid/words/digit_val.txt'
ann_file_test = 'data/grid/words/digit_test.txt'
num_classes = 10
mouth = (120, 165, 240, 255)  # x1, y1, x2, y2 in the 360x288 frames
# the mouth crops of every video, decoded once (ClipCacheInit; prebuilt by
# tools/data/build_clip_cache.py)
clip_cache_dir = 'data/grid/clip_cache'

train_pipeline = [
    dict(type='ClipCacheInit', cache_dir=clip_cache_dir, crop=mouth),
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
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
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
        frame_interval=1,
        num_clips=1,
        test_mode=True),
    dict(type='ClipCacheDecode'),
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
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
        pipeline=test_pipeline,
        test_mode=True))

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
