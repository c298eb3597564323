# Ablation: CSC without the MNF, on the raw teacher feature (linearly
# projected to the student's 128 dimensions; the temperature follows the
# raw teacher-student cosine).
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
        csc=dict(
            type='CSCHead',
            loss_csc=dict(
                type='CSCLoss',
                threshold=0.07,
                adaptive_temperature=True,
                loss_weight=1.0))))
test_cfg = dict(type='RetrievalTestLoop')
