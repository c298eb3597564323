# A short schedule for the generated data; the optimizer of adam_200e.py,
# 20 epochs, x0.1 at 15.
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=20, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=3e-4, weight_decay=5e-4), clip_grad=None)

param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=20,
        by_epoch=True,
        milestones=[15],
        gamma=0.1)
]

auto_scale_lr = dict(enable=False, base_batch_size=8)
