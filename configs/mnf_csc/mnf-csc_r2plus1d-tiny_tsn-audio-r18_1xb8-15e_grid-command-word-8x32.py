# MNF + CSC on GRID's command word clips: as mnf-csc_..._grid-command-8x32.py,
# with the word-level student, data and schedule of
# ../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py.
_base_ = ['../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-word-8x32.py']

model = dict(
    teacher=dict(type='PrecomputedTeacher', feat_dim=512),
    neck=dict(
        type='ModalityNoiseFilter',
        teacher_dim=512,
        student_dim=128,
        num_classes=4,
        num_heads=2),
    distill_losses=dict(
        loss_csc=dict(
            type='CSCLoss',
            threshold=0.07,
            adaptive_temperature=True,
            loss_weight=1.0),
        loss_cls_n=dict(type='mmaction.CrossEntropyLoss', loss_weight=1.0),
        loss_gate=dict(type='GateSparsityLoss', loss_weight=0.001),
        loss_tri=dict(
            type='CrossModalTripletLoss', margin=0.2, loss_weight=1.0)))

# The MNF learns at 0.2x the student's learning rate.
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys=dict(distill_neck=dict(lr_mult=0.2))))

train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        pipeline={{_base_.distill_train_pipeline}}))
