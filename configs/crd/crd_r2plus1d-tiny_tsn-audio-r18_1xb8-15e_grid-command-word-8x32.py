# CRD on GRID's command word clips: as crd_..._grid-command-8x32.py,
# with the word-level student, data and schedule of
# ../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py.
_base_ = ['../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py']

model = dict(
    teacher=dict(type='PrecomputedTeacher', feat_dim=512),
    distill_losses=dict(
        loss_crd=dict(
            type='CRDLoss',
            student_dim=128,
            teacher_dim=512,
            num_samples={{_base_.num_train}},
            embed_dim=128,
            num_negatives=16384,
            temperature=0.07,
            momentum=0.5,
            loss_weight=0.8)))

train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        pipeline={{_base_.distill_train_pipeline}}))
