# Students on GRID: the reference's optimizer, 30 epochs, x0.1 at 20.
_base_ = './adam_200e.py'

train_cfg = dict(max_epochs=30, val_interval=1)
param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=30,
        by_epoch=True,
        milestones=[20],
        gamma=0.1)
]
auto_scale_lr = dict(base_batch_size=8)
