# The sound of the GRID sentences (command task) as log-mel spectrograms
# (tools/data/build_audio_features.py): 3 s = ~301 frames of 64 mel bins,
# padded to one 304-frame window.
dataset_type = 'AudioVisualDataset'
audio_root = 'data/grid/audio_logmel/sentence'
ann_file_train = 'data/grid/sentence/command_train.txt'
ann_file_val = 'data/grid/sentence/command_val.txt'
num_classes = 4
window = 304
train_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=304),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=304),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=304),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/sentence/command_train.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/sentence'),
                 num_classes=4,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=304),
                     dict(type='PackActionInputs')
                 ]))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/sentence/command_val.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/sentence'),
                 num_classes=4,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=304),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
test_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/sentence/command_test.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/sentence'),
                 num_classes=4,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=304),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = dict(type='AccMetric')
ann_file_test = 'data/grid/sentence/command_test.txt'
