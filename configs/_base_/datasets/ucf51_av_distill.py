# ucf51_av.py for distillation: the same clips, splits and evaluation, the
# training set with each clip's teacher feature (teacher_root, checked
# at build: teacher_feat_dim) and distill_train_pipeline. A distillation
# leaf adds model.teacher and model.heads.
dataset_type = 'AudioVisualDataset'
data_root = 'data/ucf51/videos'
teacher_root = 'data/ucf51/teacher_feats'
teacher_feat_dim = 512
teacher_checkpoint = None
ann_file_train = 'data/ucf51/ucf51_train_split_1_videos.txt'
ann_file_val = 'data/ucf51/ucf51_val_split_1_videos.txt'
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=16, frame_interval=6, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomResizedCrop',
         area_range=(0.25, 1.0),
         aspect_ratio_range=(0.75, 1.3333333333333333)),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
distill_train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=16, frame_interval=6, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomResizedCrop',
         area_range=(0.25, 1.0),
         aspect_ratio_range=(0.75, 1.3333333333333333)),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='LoadTeacherFeature'),
    dict(type='PackActionInputs',
         algorithm_keys=('teacher_feat', 'sample_idx'))
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames',
         clip_len=16,
         frame_interval=6,
         num_clips=1,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames',
         clip_len=16,
         frame_interval=6,
         num_clips=10,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/ucf51/ucf51_train_split_1_videos.txt',
                 data_prefix=dict(video='data/ucf51/videos',
                                  teacher='data/ucf51/teacher_feats'),
                 num_classes=51,
                 pipeline=[
                     dict(type='DecordInit'),
                     dict(type='SampleFrames',
                          clip_len=16,
                          frame_interval=6,
                          num_clips=1),
                     dict(type='DecordDecode'),
                     dict(type='Resize', scale=(-1, 128)),
                     dict(type='RandomResizedCrop',
                          area_range=(0.25, 1.0),
                          aspect_ratio_range=(0.75, 1.3333333333333333)),
                     dict(type='Resize', scale=(112, 112), keep_ratio=False),
                     dict(type='Flip', flip_ratio=0.5),
                     dict(type='FormatShape', input_format='NCTHW'),
                     dict(type='LoadTeacherFeature'),
                     dict(type='PackActionInputs',
                          algorithm_keys=('teacher_feat', 'sample_idx'))
                 ],
                 teacher_feat_dim=512))
val_dataloader = dict(batch_size=4,
                      num_workers=4,
                      persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(
                          type='AudioVisualDataset',
                          ann_file='data/ucf51/ucf51_val_split_1_videos.txt',
                          data_prefix=dict(video='data/ucf51/videos'),
                          num_classes=51,
                          pipeline=[
                              dict(type='DecordInit'),
                              dict(type='SampleFrames',
                                   clip_len=16,
                                   frame_interval=6,
                                   num_clips=1,
                                   test_mode=True),
                              dict(type='DecordDecode'),
                              dict(type='Resize', scale=(-1, 128)),
                              dict(type='CenterCrop', crop_size=112),
                              dict(type='FormatShape', input_format='NCTHW'),
                              dict(type='PackActionInputs')
                          ],
                          test_mode=True))
test_dataloader = dict(batch_size=1,
                       num_workers=4,
                       persistent_workers=True,
                       sampler=dict(type='DefaultSampler', shuffle=False),
                       dataset=dict(
                           type='AudioVisualDataset',
                           ann_file='data/ucf51/ucf51_val_split_1_videos.txt',
                           data_prefix=dict(video='data/ucf51/videos'),
                           num_classes=51,
                           pipeline=[
                               dict(type='DecordInit'),
                               dict(type='SampleFrames',
                                    clip_len=16,
                                    frame_interval=6,
                                    num_clips=10,
                                    test_mode=True),
                               dict(type='DecordDecode'),
                               dict(type='Resize', scale=(-1, 128)),
                               dict(type='CenterCrop', crop_size=112),
                               dict(type='FormatShape', input_format='NCTHW'),
                               dict(type='PackActionInputs')
                           ],
                           test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = dict(type='AccMetric')
