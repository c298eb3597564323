# GRID tagging, audio side (the paper's audio tagging, reverse direction):
# the 6 words of each sentence as tags over a 51-word vocabulary, from the
# whole 3 s log-mel spectrogram (grid_command_audio.py). Distillation trains
# on ``distill_train_pipeline``, each clip with the video teacher's feature.
_base_ = './grid_command_audio.py'

ann_file_train = 'data/grid/sentence/tags_train.txt'
ann_file_val = 'data/grid/sentence/tags_val.txt'
ann_file_test = 'data/grid/sentence/tags_test.txt'
num_classes = 51
# features of the video teacher (configs/video_teacher)
teacher_root = 'data/grid/teacher_feats/tags_video'
teacher_feat_dim = 128
teacher_checkpoint = None

distill_train_pipeline = [
    dict(type='LoadAudioSpectrogram'),
    dict(type='SpectrogramWindow', length=304),
    dict(type='LoadTeacherFeature'),
    dict(
        type='PackActionInputs', algorithm_keys=('teacher_feat', 'sample_idx'))
]

train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_train, num_classes=num_classes, multi_class=True))
val_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_val, num_classes=num_classes, multi_class=True))
test_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_test, num_classes=num_classes, multi_class=True))

val_evaluator = dict(_delete_=True, type='MultiLabelMAPMetric')
test_evaluator = val_evaluator
