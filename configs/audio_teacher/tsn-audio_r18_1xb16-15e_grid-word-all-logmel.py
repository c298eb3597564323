# Audio teacher for every GRID word of all six slots (51-way): MMAction2's
# RecognizerAudio (ResNet-18) on each word clip's log-mel spectrogram; its
# features teach the students of ../_base_/datasets/grid_word_all_8x32.py.
_base_ = [
    '../_base_/models/tsn_audio_r18.py',
    '../_base_/datasets/grid_word_all_audio.py',
    '../_base_/schedules/adam_teacher_15e.py', '../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=51))
