# MMAction2's audio recognizer (its audioonly_r50.py) with the 2D ResNet-18 of
# its tsn_r18 audio-feature config: log-mel spectrograms (N, 1, T, n_mels) in,
# a 512-d pooled embedding before the classifier.

model = dict(
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
    _scope_='mmaction')
