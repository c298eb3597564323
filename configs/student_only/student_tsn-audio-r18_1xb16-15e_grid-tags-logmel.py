# Reverse direction, the audio student alone: MMAction2's RecognizerAudio
# (ResNet-18) tags GRID sentences (51 words, multi-label) from their sound.
_base_ = [
    '../_base_/models/distiller_tsn_audio_r18.py',
    '../_base_/datasets/grid_tags_audio.py',
    '../_base_/schedules/adam_teacher_15e.py', '../_base_/default_runtime.py'
]

model = dict(
    student=dict(
        cls_head=dict(
            num_classes=51,
            average_clips='score',
            multi_class=True,
            loss_cls=dict(type='mmaction.BCELossWithLogits'))))
default_hooks = dict(checkpoint=dict(save_best='tagging/mAP', rule='greater'))
