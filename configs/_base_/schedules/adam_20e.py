# A short schedule for the generated data; same optimizer as adam_200e.
_base_ = './adam_200e.py'

train_cfg = dict(max_epochs=20, val_interval=1)
param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=20,
        by_epoch=True,
        milestones=[15],
        gamma=0.1)
]
auto_scale_lr = dict(base_batch_size=8)
