# Plain cosine alignment of the student's (projected) pooled feature with the
# raw audio feature: distils every clip's sound, relevant or not.
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
        cosine=dict(
            type='FeatureKDHead',
            losses=dict(
                loss_cos=dict(type='CosineAlignmentLoss', loss_weight=1.0)))))
test_cfg = dict(type='RetrievalTestLoop')
