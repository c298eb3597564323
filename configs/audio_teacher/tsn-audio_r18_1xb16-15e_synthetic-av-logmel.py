# The audio teacher of the generated clips: MMAction2's RecognizerAudio
# (ResNet-18 on log-mel spectrograms), trained on the training clips' sound,
# noise included, as a real teacher would be.
_base_ = [
    '../_base_/models/tsn_audio_r18.py',
    '../_base_/datasets/synthetic_av_audio.py',
    '../_base_/schedules/adam_20e.py', '../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=4))
train_cfg = dict(max_epochs=15)
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
