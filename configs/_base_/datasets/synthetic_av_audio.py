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
    dict(type='SpectrogramWindow', length=192, random_crop=True),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=192),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=192),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/synthetic_av/train.txt',
                 data_prefix=dict(audio='data/synthetic_av/audio_logmel'),
                 num_classes=4,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow',
                          length=192,
                          random_crop=True),
                     dict(type='PackActionInputs')
                 ]))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/synthetic_av/val.txt',
                 data_prefix=dict(audio='data/synthetic_av/audio_logmel'),
                 num_classes=4,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=192),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
test_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/synthetic_av/val.txt',
                 data_prefix=dict(audio='data/synthetic_av/audio_logmel'),
                 num_classes=4,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=192),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = dict(type='AccMetric')
