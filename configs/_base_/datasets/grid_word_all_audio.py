# The sound of every GRID word clip, all six slots (51-way,
# grid_word_all_8x32.py), as log-mel spectrograms; windows and pipelines as
# for the digit words.
dataset_type = 'AudioVisualDataset'
audio_root = 'data/grid/audio_logmel/words'
ann_file_train = 'data/grid/words/all_train.txt'
ann_file_val = 'data/grid/words/all_val.txt'
num_classes = 51
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
                 ann_file='data/grid/words/all_train.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/words'),
                 num_classes=51,
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
                 ann_file='data/grid/words/all_val.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/words'),
                 num_classes=51,
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
                 ann_file='data/grid/words/all_test.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/words'),
                 num_classes=51,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=64),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = dict(type='AccMetric')
ann_file_test = 'data/grid/words/all_test.txt'
