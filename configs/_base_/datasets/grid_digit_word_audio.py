# The sound of the GRID digit word clips as log-mel spectrograms: a word is
# 0.3-0.6 s, padded to one 64-frame (0.64 s) window.
dataset_type = 'AudioVisualDataset'
audio_root = 'data/grid/audio_logmel/words'
ann_file_train = 'data/grid/words/digit_train.txt'
ann_file_val = 'data/grid/words/digit_val.txt'
num_classes = 10
window = 64
train_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=64),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=64),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=64),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/words/digit_train.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/words'),
                 num_classes=10,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=64),
                     dict(type='PackActionInputs')
                 ]))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/words/digit_val.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/words'),
                 num_classes=10,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=64),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
test_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/words/digit_test.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/words'),
                 num_classes=10,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=64),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = dict(type='AccMetric')
ann_file_test = 'data/grid/words/digit_test.txt'
