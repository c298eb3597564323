# GRID's command task (grid_command.py) at 8 frames of 32x32 mouth crops,
# every 8th frame over 2.6 s: a quarter of the compute, for comparisons of
# many methods x seeds on CPUs. Distillation trains on
# ``distill_train_pipeline``: each clip with its teacher feature and its
# index in the training set (CRD's memory bank).
_base_ = './grid_command.py'

mouth = (120, 165, 240, 255)  # x1, y1, x2, y2 in the 360x288 frames
clip_cache_dir = {{_base_.clip_cache_dir}}
# the audio teacher (configs/audio_teacher) whose features fill teacher_root
teacher_checkpoint = ('work_dirs/tsn-audio_r18_1xb16-15e_grid-command-logmel/'
                      'epoch_15.pth')

train_pipeline = [
    dict(type='ClipCacheInit', cache_dir=clip_cache_dir, crop=mouth),
    dict(type='SampleFrames', clip_len=8, frame_interval=8, num_clips=1),
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

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

# The test also scores video-to-video retrieval: test clips query the
# training clips (RetrievalTestLoop runs the model over them first).
test_evaluator = [
    dict(type='AccMetric'),
    dict(type='VideoRetrievalMetric', reference_topk=100)
]
