# GCEKDHead: generalised cross-entropy (q = 0.7) on the teacher's class, a
# robust-loss baseline.
# Data, teacher and schedule of the label-scarce Hinton KD config (25 % of
# the training clips labelled); only the distillation head differs.
_base_ = ('../kd/kd_r2plus1d-tiny-tokens_'
          'tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py')

model = dict(
    heads=dict(
        _delete_=True,
        gce_kd=dict(
            type='GCEKDHead',
            q=0.7)))
