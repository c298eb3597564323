# MMAction2's audio recognizer with the 2D ResNet-18 of its
# tsn_r18 audio-feature config: log-mel spectrograms (N, 1, T, n_mels) in,
# a 512-d pooled embedding before the classifier.
_base_ = 'mmaction::_base_/models/audioonly_r50.py'

model = dict(
    backbone=dict(
        _delete_=True,
        type='ResNet',
        depth=18,
        pretrained=None,
        in_channels=1,
        norm_eval=False),
    cls_head=dict(in_channels=512, dropout_ratio=0.5))
