# GRID's command word (bin / lay / place / set) cut from each sentence with
# the alignments (prepare_grid.py --word-slots command): the student reads
# the word's 8 frames (clips have >= 8), 32x32 mouth crops. Same splits,
# labels, student input size and evaluation as grid_command_8x32.py, whose
# frames span the whole sentence and mostly miss the word.
_base_ = './grid_command_8x32.py'

video_root = 'data/grid/words/clips'
teacher_root = 'data/grid/teacher_feats/command_word'
ann_file_train = 'data/grid/words/command_train.txt'
ann_file_val = 'data/grid/words/command_val.txt'
ann_file_test = 'data/grid/words/command_test.txt'
mouth = (120, 165, 240, 255)  # x1, y1, x2, y2 in the 360x288 frames
clip_cache_dir = {{_base_.clip_cache_dir}}
teacher_checkpoint = (
    'work_dirs/tsn-audio_r18_1xb16-15e_grid-command-word-logmel/epoch_15.pth')

train_pipeline = [
    dict(type='ClipCacheInit', cache_dir=clip_cache_dir, crop=mouth),
    dict(type='SampleFrames', clip_len=8, frame_interval=1, num_clips=1),
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
        frame_interval=1,
        num_clips=1,
        test_mode=True),
    dict(type='ClipCacheDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_train,
        data_prefix=dict(video=video_root),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_val,
        data_prefix=dict(video=video_root),
        pipeline=val_pipeline))
test_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_test,
        data_prefix=dict(video=video_root),
        pipeline=test_pipeline))
