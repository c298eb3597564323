# The reference's schedule: Adam 3e-4, weight decay 5e-4, 200 epochs,
# lr x0.1 at epoch 150.
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=200, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=3e-4, weight_decay=5e-4), clip_grad=None)

param_scheduler = [
    dict(
        type='MultiStepLR',
        begin=0,
        end=200,
        by_epoch=True,
        milestones=[150],
        gamma=0.1)
]

# The optimizer sees the batch size of the reference (32 = 8 GPUs x 4).
auto_scale_lr = dict(enable=False, base_batch_size=32)
