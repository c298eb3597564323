# ActivityNet v1.3 as trimmed segments, 200 classes (15,232 train / 7,555
# val), one teacher feature per training segment; same layout as UCF51
# (videos/, teacher_feats/, "<segment video> <label>" list files).
_base_ = './ucf51_av.py'

data_root = 'data/activitynet/videos'
teacher_root = 'data/activitynet/teacher_feats'
ann_file_train = 'data/activitynet/activitynet_train_segments.txt'
ann_file_val = 'data/activitynet/activitynet_val_segments.txt'
num_classes = 200

train_dataloader = dict(
    batch_size=8,
    dataset=dict(
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        num_classes=num_classes))
val_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root),
        num_classes=num_classes))
test_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root),
        num_classes=num_classes))
