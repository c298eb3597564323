# The sound of the GRID sentences (command task) as log-mel spectrograms
# (tools/data/build_audio_features.py): 3 s = ~301 frames of 64 mel bins,
# padded to one 304-frame window.
dataset_type = 'AudioVisualDataset'
audio_root = 'data/grid/audio_logmel/sentence'
ann_file_train = 'data/grid/sentence/command_train.txt'
ann_file_val = 'data/grid/sentence/command_val.txt'
ann_file_test = 'data/grid/sentence/command_test.txt'
num_classes = 4
window = 304

train_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=window),
    dict(type='PackActionInputs')
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
        data_prefix=dict(audio=audio_root),
        num_classes=num_classes,
        pipeline=train_pipeline))
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
        pipeline=test_pipeline,
        test_mode=True))

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
