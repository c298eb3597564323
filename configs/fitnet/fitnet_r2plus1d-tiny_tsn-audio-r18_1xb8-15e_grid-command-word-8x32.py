# FitNet on GRID's command word clips: as fitnet_..._grid-command-8x32.py,
# with the word-level student, data and schedule of
# ../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py.
_base_ = ['../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py']

model = dict(
    teacher=dict(type='PrecomputedTeacher', feat_dim=512),
    distill_losses=dict(
        loss_fitnet=dict(
            type='FitNetLoss', student_dim=128, teacher_dim=512,
            loss_weight=1.0)))

train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        pipeline={{_base_.distill_train_pipeline}}))
