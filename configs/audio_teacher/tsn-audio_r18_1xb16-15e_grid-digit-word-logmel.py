# Audio teacher for GRID's digit words (10-way): MMAction2's RecognizerAudio
# (ResNet-18) on each word clip's log-mel spectrogram.
_base_ = [
    '../_base_/models/tsn_audio_r18.py',
    '../_base_/datasets/grid_digit_word_audio.py',
    '../_base_/schedules/adam_teacher_15e.py', '../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=10))
