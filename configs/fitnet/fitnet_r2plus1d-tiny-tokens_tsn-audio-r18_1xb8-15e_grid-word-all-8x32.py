# FitNet (regress the teacher feature) on every GRID word (all six slots, 51-way): a baseline
# of the all-words comparison, with the token-keeping student, data and
# schedule of
# ../student_only/student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py.
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
        fitnet=dict(
            type='FeatureKDHead',
            losses=dict(
                loss_fitnet=dict(type='FitNetLoss', loss_weight=1.0)))))
test_cfg = dict(type='RetrievalTestLoop')
optim_wrapper = dict(optimizer=dict(lr=0.001))
