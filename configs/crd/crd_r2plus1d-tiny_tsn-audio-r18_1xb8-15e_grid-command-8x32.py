# CRD with its paper's defaults (128-d embedding, 16384 negatives, T = 0.07,
# memory momentum 0.5, weight 0.8); the memory banks hold the training set.
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
