# Audio teachers on small data: Adam 1e-3, 15 epochs, lr x0.1 at epoch 10.
_base_ = './adam_200e.py'

train_cfg = dict(max_epochs=15, val_interval=1)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=15,
        by_epoch=True,
        milestones=[10],
        gamma=0.1)
]
auto_scale_lr = dict(base_batch_size=16)
