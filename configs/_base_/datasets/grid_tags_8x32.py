# GRID tagging, video side: the 6 words of each sentence as tags over a
# 51-word vocabulary (sentence/tags_*.txt of tools/data/grid/prepare_grid.py),
# from 8 frames of 32x32 mouth crops (grid_command_8x32.py). The video
# teacher of the reverse direction (video -> audio) trains on it.
_base_ = './grid_command_8x32.py'

ann_file_train = 'data/grid/sentence/tags_train.txt'
ann_file_val = 'data/grid/sentence/tags_val.txt'
ann_file_test = 'data/grid/sentence/tags_test.txt'
num_classes = 51

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
