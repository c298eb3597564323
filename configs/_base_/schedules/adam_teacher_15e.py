# Audio teachers on small data: Adam 1e-3, 15 epochs, lr x0.1 at epoch 10.
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=15, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=5e-4), clip_grad=None)

param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=15,
        by_epoch=True,
        milestones=[10],
        gamma=0.1)
]

auto_scale_lr = dict(enable=False, base_batch_size=16)
