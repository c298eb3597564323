# The sound of the generated clips as log-mel spectrograms
# (tools/data/build_audio_features.py): 2 s = 201 frames of 64 mel bins.
dataset_type = 'AudioVisualDataset'
audio_root = 'data/synthetic_av/audio_logmel'
ann_file_train = 'data/synthetic_av/train.txt'
ann_file_val = 'data/synthetic_av/val.txt'
num_classes = 4
window = 192

train_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=window, random_crop=True),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=window),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

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
test_dataloader = val_dataloader

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
