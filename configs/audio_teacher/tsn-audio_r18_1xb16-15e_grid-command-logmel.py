# Audio teacher for GRID's command word (4-way): MMAction2's RecognizerAudio
# (ResNet-18) on the whole 3 s log-mel spectrogram of each sentence.
_base_ = [
    '../_base_/models/tsn_audio_r18.py',
    '../_base_/datasets/grid_command_audio.py',
    '../_base_/schedules/adam_teacher_15e.py', '../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=4))
