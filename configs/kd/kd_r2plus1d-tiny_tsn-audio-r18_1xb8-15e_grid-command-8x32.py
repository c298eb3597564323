# Hinton logit distillation (T = 4) from the audio teacher's own classifier,
# on the student of ../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-8x32.py.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny.py',
    '../_base_/datasets/grid_command_8x32_distill.py',
    '../_base_/schedules/adam_15e.py', '../_base_/default_runtime.py'
]

model = dict(
    teacher=dict(
        type='PrecomputedTeacher',
        feat_dim=512,
        classifier=dict(
            checkpoint=(
                'work_dirs/'
                'tsn-audio_r18_1xb16-15e_grid-command-logmel/epoch_15.pth'))),
    heads=dict(
        kd=dict(
            type='LogitKDHead',
            loss_kd=dict(type='KDLoss', temperature=4.0, loss_weight=1.0))))
test_cfg = dict(type='RetrievalTestLoop')
