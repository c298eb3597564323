# Scene clips of tools/data/synthetic/generate_synthetic_av.py --design
# scenes --contrast 40 --num-train 320 --num-val 128 (no download; what
# tools/run_distillation.py generates): 4 classes, 16 frames at 64x64 with
# a sound track; the class's tinted square moves in one quadrant (drawn per
# clip) and grey distractor squares move in random directions in the other
# three; 30 % of the training clips have mismatched or irrelevant sound.
# Contrast 40, not 25: at 25 the student alone stayed at chance for 20
# epochs even with every label; at 40 with every label it reaches about 0.5
# (seed 3), so video alone is hard but learnable. The student reads
# 8 frames at 32x32 (the 2x2 quadrants stay 2x2 at the token-keeping
# student's last stage), without a random crop, which could cut the
# quadrant of the event out; the other settings are synthetic_av.py's.
#
# For distillation (a leaf with model.teacher and model.heads): the training
# set with each clip's teacher feature, <teacher_root>/<clip>.npy, checked at
# build against teacher_feat_dim, through distill_train_pipeline, which also
# packs each clip's index in the training set (CRD's memory banks).
dataset_type = 'AudioVisualDataset'
data_root = 'data/synthetic_av_scenes/videos'
# what `make demo` (tools/run_distillation.py, seed 3) writes: its audio
# teacher's features and last checkpoint (5 epochs), so that the demo's
# MNF + CSC configs run after it without options
teacher_root = 'work_dirs/run_distillation_synthetic-scenes/seed3/teacher/features'
teacher_feat_dim = 512
teacher_checkpoint = (
    'work_dirs/run_distillation_synthetic-scenes/seed3/teacher/epoch_5.pth')
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
distill_train_pipeline = train_pipeline[:-1] + [
    dict(type='LoadTeacherFeature'),
    dict(
        type='PackActionInputs', algorithm_keys=('teacher_feat', 'sample_idx'))
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=8,
        frame_interval=2,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecode'),
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
        data_prefix=dict(video=data_root, teacher=teacher_root),
        teacher_feat_dim=teacher_feat_dim,
        num_classes=num_classes,
        pipeline=distill_train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root),
        num_classes=num_classes,
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
