# SelectiveKDHead: KD on the clips whose teacher the student's video agrees
# with (labelled clips: teacher = label; unlabelled: smoothed student
# probability of the teacher's class, above the quantile given by the labelled
# clips' contradiction rate, after an 8-epoch warm-up).
# Data, teacher and schedule of the label-scarce Hinton KD config (25 % of
# the training clips labelled); only the distillation head differs.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny_tokens.py',
    '../_base_/datasets/grid_word_all_8x32_distill.py',
    '../_base_/schedules/adam_15e.py', '../_base_/default_runtime.py'
]

model = dict(
    student=dict(cls_head=dict(num_classes=51)),
    teacher=dict(
        type='PrecomputedTeacher',
        feat_dim=512,
        classifier=dict(
            checkpoint=(
                'work_dirs/'
                'tsn-audio_r18_1xb16-15e_grid-word-all-logmel/epoch_15.pth'))),
    heads=dict(
        selective_kd=dict(
            type='SelectiveKDHead', score='agreement', warmup_epochs=8.0)))
train_dataloader = dict(dataset=dict(labelled_ratio=0.25))
test_cfg = dict(type='RetrievalTestLoop')
optim_wrapper = dict(optimizer=dict(lr=0.001))
