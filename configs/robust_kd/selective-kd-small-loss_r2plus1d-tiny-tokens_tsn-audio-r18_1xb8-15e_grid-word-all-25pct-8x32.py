# SelectiveKDHead with the small-loss criterion: an unlabelled clip's trust is
# exp(-its KD loss), smoothed over the epochs.
# Data, teacher and schedule of the label-scarce Hinton KD config (25 % of
# the training clips labelled); only the distillation head differs.
_base_ = '../kd/kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py'

model = dict(
    heads=dict(
        _delete_=True,
        selective_kd=dict(
            type='SelectiveKDHead',
            score='small_loss',
            warmup_epochs=8.0)))
