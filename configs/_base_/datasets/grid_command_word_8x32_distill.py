# grid_command_word_8x32.py for distillation: the same clips, splits and evaluation, the
# training set with each clip's teacher feature (teacher_root, checked
# at build: teacher_feat_dim) and distill_train_pipeline. A distillation
# leaf adds model.teacher and model.heads.
dataset_type = 'AudioVisualDataset'
video_root = 'data/grid/words/clips'
teacher_root = 'data/grid/teacher_feats/command_word'
teacher_feat_dim = 512
teacher_checkpoint = 'work_dirs/tsn-audio_r18_1xb16-15e_grid-command-word-logmel/epoch_15.pth'
ann_file_train = 'data/grid/words/command_train.txt'
ann_file_val = 'data/grid/words/command_val.txt'
ann_file_test = 'data/grid/words/command_test.txt'
num_classes = 4
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
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
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
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
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
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
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
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
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
                 ann_file='data/grid/words/command_train.txt',
                 data_prefix=dict(
                     video='data/grid/words/clips',
                     teacher='data/grid/teacher_feats/command_word'),
                 num_classes=4,
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
                     dict(type='Resize', scale=(32, 32), keep_ratio=False),
                     dict(type='FormatShape', input_format='NCTHW'),
                     dict(type='LoadTeacherFeature'),
                     dict(type='PackActionInputs',
                          algorithm_keys=('teacher_feat', 'sample_idx'))
                 ],
                 teacher_feat_dim=512))
val_dataloader = dict(batch_size=8,
                      num_workers=2,
                      persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(
                          type='AudioVisualDataset',
                          ann_file='data/grid/words/command_val.txt',
                          data_prefix=dict(video='data/grid/words/clips'),
                          num_classes=4,
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
                                   scale=(32, 32),
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
                           ann_file='data/grid/words/command_test.txt',
                           data_prefix=dict(video='data/grid/words/clips'),
                           num_classes=4,
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
                                    scale=(32, 32),
                                    keep_ratio=False),
                               dict(type='FormatShape', input_format='NCTHW'),
                               dict(type='PackActionInputs')
                           ],
                           test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = [
    dict(type='AccMetric'),
    dict(type='VideoRetrievalMetric', reference_topk=100)
]
