# Cosine feature alignment on GRID's command word clips: as cosine_..._grid-command-8x32.py,
# with the word-level student, data and schedule of
# ../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny.py',
    '../_base_/datasets/grid_command_word_8x32_distill.py',
    '../_base_/schedules/adam_15e.py', '../_base_/default_runtime.py'
]

model = dict(
    teacher=dict(
        type='PrecomputedTeacher',
        feat_dim=512,
        classifier=dict(
            checkpoint=(
                'work_dirs/'
                'tsn-audio_r18_1xb16-15e_grid-command-word-logmel/epoch_15.pth'
            ))),
    heads=dict(
        cosine=dict(
            type='FeatureKDHead',
            losses=dict(
                loss_cos=dict(type='CosineAlignmentLoss', loss_weight=1.0)))))
test_cfg = dict(type='RetrievalTestLoop')
optim_wrapper = dict(optimizer=dict(lr=0.001))
