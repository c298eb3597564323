# synthetic_av_scenes.py for distillation: the same clips, splits and evaluation, the
# training set with each clip's teacher feature (teacher_root, checked
# at build: teacher_feat_dim) and distill_train_pipeline. A distillation
# leaf adds model.teacher and model.heads.
dataset_type = 'AudioVisualDataset'
data_root = 'data/synthetic_av_scenes/videos'
# what `make demo` (tools/run_distillation.py, seed 3) writes: its audio
# teacher's features and last checkpoint (5 epochs)
teacher_root = 'work_dirs/run_distillation_synthetic-scenes/seed3/teacher/features'
teacher_feat_dim = 512
teacher_checkpoint = 'work_dirs/run_distillation_synthetic-scenes/seed3/teacher/epoch_5.pth'
ann_file_train = 'data/synthetic_av_scenes/train.txt'
ann_file_val = 'data/synthetic_av_scenes/val.txt'
num_classes = 4
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
distill_train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='LoadTeacherFeature'),
    dict(type='PackActionInputs',
         algorithm_keys=('teacher_feat', 'sample_idx'))
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames',
         clip_len=8,
         frame_interval=2,
         num_clips=1,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames',
         clip_len=8,
         frame_interval=2,
         num_clips=1,
         test_mode=True),
    dict(type='DecordDecode'),
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
                 ann_file='data/synthetic_av_scenes/train.txt',
                 data_prefix=dict(
                     video='data/synthetic_av_scenes/videos',
                     teacher='work_dirs/run_distillation_synthetic-scenes/seed3/teacher/features'),
                 num_classes=4,
                 pipeline=[
                     dict(type='DecordInit'),
                     dict(type='SampleFrames',
                          clip_len=8,
                          frame_interval=2,
                          num_clips=1),
                     dict(type='DecordDecode'),
                     dict(type='Resize', scale=(32, 32), keep_ratio=False),
                     dict(type='FormatShape', input_format='NCTHW'),
                     dict(type='LoadTeacherFeature'),
                     dict(type='PackActionInputs',
                          algorithm_keys=('teacher_feat', 'sample_idx'))
                 ],
                 teacher_feat_dim=512))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/synthetic_av_scenes/val.txt',
                 data_prefix=dict(video='data/synthetic_av_scenes/videos'),
                 num_classes=4,
                 pipeline=[
                     dict(type='DecordInit'),
                     dict(type='SampleFrames',
                          clip_len=8,
                          frame_interval=2,
                          num_clips=1,
                          test_mode=True),
                     dict(type='DecordDecode'),
                     dict(type='Resize', scale=(32, 32), keep_ratio=False),
                     dict(type='FormatShape', input_format='NCTHW'),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
test_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/synthetic_av_scenes/val.txt',
                 data_prefix=dict(video='data/synthetic_av_scenes/videos'),
                 num_classes=4,
                 pipeline=[
                     dict(type='DecordInit'),
                     dict(type='SampleFrames',
                          clip_len=8,
                          frame_interval=2,
                          num_clips=1,
                          test_mode=True),
                     dict(type='DecordDecode'),
                     dict(type='Resize', scale=(32, 32), keep_ratio=False),
                     dict(type='FormatShape', input_format='NCTHW'),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = dict(type='AccMetric')
