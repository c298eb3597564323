# Students on GRID: the reference's optimizer, 15 epochs, x0.1 at 10.
_base_ = './adam_200e.py'

train_cfg = dict(max_epochs=15, val_interval=1)
param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=15,
        by_epoch=True,
        milestones=[10],
        gamma=0.1)
]
auto_scale_lr = dict(base_batch_size=8)
