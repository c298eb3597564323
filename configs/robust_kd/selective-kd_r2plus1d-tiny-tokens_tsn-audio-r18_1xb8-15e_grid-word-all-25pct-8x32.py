# SelectiveKDHead: KD on the clips whose teacher the student's video agrees
# with (labelled clips: teacher = label; unlabelled: smoothed student
# probability of the teacher's class, above the quantile given by the labelled
# clips' contradiction rate, after an 8-epoch warm-up).
# Data, teacher and schedule of the label-scarce Hinton KD config (25 % of
# the training clips labelled); only the distillation head differs.
_base_ = ('../kd/kd_r2plus1d-tiny-tokens_'
          'tsn-audio-r18_1xb8-15e_grid-word-all-25pct-8x32.py')

model = dict(
    heads=dict(
        _delete_=True,
        selective_kd=dict(
            type='SelectiveKDHead',
            score='agreement',
            warmup_epochs=8.0)))
