# Audio teacher for GRID's command words (4-way): MMAction2's RecognizerAudio
# (ResNet-18) on each word clip's log-mel spectrogram; its features teach the
# students of ../_base_/datasets/grid_command_word_8x32.py.
_base_ = [
    '../_base_/models/tsn_audio_r18.py',
    '../_base_/datasets/grid_command_word_audio.py',
    '../_base_/schedules/adam_teacher_15e.py', '../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=4))
