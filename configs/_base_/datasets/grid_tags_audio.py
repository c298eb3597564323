# GRID tagging, audio side (the paper's audio tagging, reverse direction):
# the 6 words of each sentence as tags over a 51-word vocabulary, from the
# whole 3 s log-mel spectrogram (grid_command_audio.py). Distillation trains
# on ``distill_train_pipeline``, each clip with the video teacher's feature.
dataset_type = 'AudioVisualDataset'
audio_root = 'data/grid/audio_logmel/sentence'
ann_file_train = 'data/grid/sentence/tags_train.txt'
ann_file_val = 'data/grid/sentence/tags_val.txt'
num_classes = 51
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
                 ann_file='data/grid/sentence/tags_train.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/sentence'),
                 num_classes=51,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=304),
                     dict(type='PackActionInputs')
                 ],
                 multi_class=True))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/sentence/tags_val.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/sentence'),
                 num_classes=51,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=304),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True,
                 multi_class=True))
test_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='AudioVisualDataset',
                 ann_file='data/grid/sentence/tags_test.txt',
                 data_prefix=dict(audio='data/grid/audio_logmel/sentence'),
                 num_classes=51,
                 pipeline=[
                     dict(type='LoadAudioSpectrogram'),
                     dict(type='SpectrogramWindow', length=304),
                     dict(type='PackActionInputs')
                 ],
                 test_mode=True,
                 multi_class=True))
val_evaluator = dict(type='MultiLabelMAPMetric')
test_evaluator = dict(type='MultiLabelMAPMetric')
ann_file_test = 'data/grid/sentence/tags_test.txt'
teacher_root = 'data/grid/teacher_feats/tags_video'
teacher_feat_dim = 128
teacher_checkpoint = None
distill_train_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=304),
    dict(type='LoadTeacherFeature'),
    dict(type='PackActionInputs',
         algorithm_keys=('teacher_feat', 'sample_idx'))
]
