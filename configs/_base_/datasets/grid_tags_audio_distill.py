# GRID tagging, audio side (the paper's audio tagging, reverse direction):
# the 6 words of each sentence as tags over a 51-word vocabulary, from the
# whole 3 s log-mel spectrogram (as grid_command_audio.py).
#
# For distillation (a leaf with model.teacher and model.heads): the training
# set with each clip's teacher feature, <teacher_root>/<clip>.npy, checked at
# build against teacher_feat_dim, through distill_train_pipeline, which also
# packs each clip's index in the training set (CRD's memory banks).
dataset_type = 'AudioVisualDataset'
audio_root = 'data/grid/audio_logmel/sentence'
ann_file_train = 'data/grid/sentence/tags_train.txt'
ann_file_val = 'data/grid/sentence/tags_val.txt'
ann_file_test = 'data/grid/sentence/tags_test.txt'
num_classes = 51
window = 304
# features of the video teacher (configs/video_teacher)
teacher_root = 'data/grid/teacher_feats/tags_video'
teacher_feat_dim = 128
teacher_checkpoint = None

train_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=window),
    dict(type='PackActionInputs')
]
distill_train_pipeline = train_pipeline[:-1] + [
    dict(type='LoadTeacherFeature'),
    dict(
        type='PackActionInputs', algorithm_keys=('teacher_feat', 'sample_idx'))
]
val_pipeline = train_pipeline
test_pipeline = train_pipeline

train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    # a last batch of one clip would break BatchNorm heads (the MNF)
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_train,
        data_prefix=dict(audio=audio_root, teacher=teacher_root),
        teacher_feat_dim=teacher_feat_dim,
        num_classes=num_classes,
        multi_class=True,
        pipeline=distill_train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_val,
        data_prefix=dict(audio=audio_root),
        num_classes=num_classes,
        multi_class=True,
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_test,
        data_prefix=dict(audio=audio_root),
        num_classes=num_classes,
        multi_class=True,
        pipeline=test_pipeline,
        test_mode=True))

val_evaluator = dict(type='MultiLabelMAPMetric')
test_evaluator = val_evaluator
