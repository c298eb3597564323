# GRID speaker s1, word level: each digit word (zero ... nine) cut from its
# sentence with the alignments, a 10-way label. The student reads the mouth
# region of 8 consecutive frames of the word clip (clips have >= 8 frames).
dataset_type = 'AudioVisualDataset'
video_root = 'data/grid/words/clips'
teacher_root = 'data/grid/teacher_feats/digit_word'
teacher_feat_dim = 512
teacher_checkpoint = None
ann_file_train = 'data/grid/words/digit_train.txt'
ann_file_val = 'data/grid/words/digit_val.txt'
ann_file_test = 'data/grid/words/digit_test.txt'
num_classes = 10
mouth = (120, 165, 240, 255)
clip_cache_dir = 'data/grid/clip_cache'
train_pipeline = [
    dict(type='ClipCacheInit',
         cache_dir='data/grid/clip_cache',
         crop=(120, 165, 240, 255)),
    dict(type='SampleFrames', clip_len=8, frame_interval=1, num_clips=1),
    dict(type='ClipCacheDecode'),
    dict(type='RandomResizedCrop',
         area_range=(0.7, 1.0),
         aspect_ratio_range=(0.75, 1.3333333333333333)),
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
distill_train_pipeline = [
    dict(type='ClipCacheInit',
         cache_dir='data/grid/clip_cache',
         crop=(120, 165, 240, 255)),
    dict(type='SampleFrames', clip_len=8, frame_interval=1, num_clips=1),
    dict(type='ClipCacheDecode'),
    dict(type='RandomResizedCrop',
         area_range=(0.7, 1.0),
         aspect_ratio_range=(0.75, 1.3333333333333333)),
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='LoadTeacherFeature'),
    dict(type='PackActionInputs',
         algorithm_keys=('teacher_feat', 'sample_idx'))
]
val_pipeline = [
    dict(type='ClipCacheInit',
         cache_dir='data/grid/clip_cache',
         crop=(120, 165, 240, 255)),
    dict(type='SampleFrames',
         clip_len=8,
         frame_interval=1,
         num_clips=1,
         test_mode=True),
    dict(type='ClipCacheDecode'),
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='ClipCacheInit',
         cache_dir='data/grid/clip_cache',
         crop=(120, 165, 240, 255)),
    dict(type='SampleFrames',
         clip_len=8,
         frame_interval=1,
         num_clips=1,
         test_mode=True),
    dict(type='ClipCacheDecode'),
    dict(type='Resize', scale=(48, 48), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/words/digit_train.txt',
                 data_prefix=dict(video='data/grid/words/clips'),
                 num_classes=10,
                 pipeline=[
                     dict(type='ClipCacheInit',
                          cache_dir='data/grid/clip_cache',
                          crop=(120, 165, 240, 255)),
                     dict(type='SampleFrames',
                          clip_len=8,
                          frame_interval=1,
                          num_clips=1),
                     dict(type='ClipCacheDecode'),
                     dict(type='RandomResizedCrop',
                          area_range=(0.7, 1.0),
                          aspect_ratio_range=(0.75, 1.3333333333333333)),
                     dict(type='Resize', scale=(48, 48), keep_ratio=False),
                     dict(type='FormatShape', input_format='NCTHW'),
                     dict(type='PackActionInputs')
                 ]))
val_dataloader = dict(batch_size=8,
                      num_workers=2,
                      persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(
                          type='AudioVisualDataset',
                          ann_file='data/grid/words/digit_val.txt',
                          data_prefix=dict(video='data/grid/words/clips'),
                          num_classes=10,
                          pipeline=[
                              dict(type='ClipCacheInit',
                                   cache_dir='data/grid/clip_cache',
                                   crop=(120, 165, 240, 255)),
                              dict(type='SampleFrames',
                                   clip_len=8,
                                   frame_interval=1,
                                   num_clips=1,
                                   test_mode=True),
                              dict(type='ClipCacheDecode'),
                              dict(type='Resize',
                                   scale=(48, 48),
                                   keep_ratio=False),
                              dict(type='FormatShape', input_format='NCTHW'),
                              dict(type='PackActionInputs')
                          ],
                          test_mode=True))
test_dataloader = dict(batch_size=8,
                       num_workers=2,
                       persistent_workers=True,
                       sampler=dict(type='DefaultSampler', shuffle=False),
                       dataset=dict(
                           type='AudioVisualDataset',
                           ann_file='data/grid/words/digit_test.txt',
                           data_prefix=dict(video='data/grid/words/clips'),
                           num_classes=10,
                           pipeline=[
                               dict(type='ClipCacheInit',
                                    cache_dir='data/grid/clip_cache',
                                    crop=(120, 165, 240, 255)),
                               dict(type='SampleFrames',
                                    clip_len=8,
                                    frame_interval=1,
                                    num_clips=1,
                                    test_mode=True),
                               dict(type='ClipCacheDecode'),
                               dict(type='Resize',
                                    scale=(48, 48),
                                    keep_ratio=False),
                               dict(type='FormatShape', input_format='NCTHW'),
                               dict(type='PackActionInputs')
                           ],
                           test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = dict(type='AccMetric')
