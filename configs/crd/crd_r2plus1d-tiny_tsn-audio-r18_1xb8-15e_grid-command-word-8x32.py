# CRD on GRID's command word clips: as crd_..._grid-command-8x32.py,
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
        crd=dict(
            type='CRDHead',
            loss_crd=dict(
                type='CRDLoss',
                embed_dim=128,
                num_negatives=16384,
                temperature=0.07,
                momentum=0.5,
                loss_weight=0.8))))
test_cfg = dict(type='RetrievalTestLoop')
optim_wrapper = dict(optimizer=dict(lr=0.001))
