# FitNet-style feature regression: a linear regressor maps the student's
# pooled 128-d feature onto the 512-d audio feature (MSE).
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
        fitnet=dict(
            type='FeatureKDHead',
            losses=dict(
                loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0)))))
test_cfg = dict(type='RetrievalTestLoop')
