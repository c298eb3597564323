# ConfidentKDHead: KD where the teacher's largest probability is >= 0.95 (the
# negative control: irrelevant speech leaves the teacher confident).
# Data, teacher and schedule of the label-scarce Hinton KD config (25 % of
# the training clips labelled); only the distillation head differs.
_base_ = ('../kd/kd_r2plus1d-tiny-tokens_'
          'tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py')

model = dict(
    heads=dict(
        _delete_=True,
        confident_kd=dict(
            type='ConfidentKDHead',
            threshold=0.95)))
