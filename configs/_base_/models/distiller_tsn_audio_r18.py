# The audio recognizer (tsn_audio_r18.py) as the student inside
# CrossModalDistiller (the reverse direction: a video teacher), alone until a
# leaf adds model.teacher and model.heads.

model = dict(
    type='CrossModalDistiller',
    student=dict(
        type='RecognizerAudio',
        backbone=dict(
            type='ResNet',
            depth=18,
            pretrained=None,
            in_channels=1,
            norm_eval=False),
        cls_head=dict(
            type='TSNAudioHead',
            num_classes=400,
            in_channels=512,
            dropout_ratio=0.5,
            init_std=0.01,
            average_clips='prob'),
        _scope_='mmaction'))
