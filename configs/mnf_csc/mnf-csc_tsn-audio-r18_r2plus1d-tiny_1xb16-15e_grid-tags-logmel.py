# Reverse direction with the same components: the video teacher
# (configs/video_teacher, 128-d features) teaches the audio student of
# student_only/student_tsn-audio-r18_1xb16-15e_grid-tags-logmel.py through
# MNF + CSC. Labels are tags: the MNF classifier uses binary cross-entropy
# and CSC weighs pairs by the overlap of their tags.
_base_ = ['../student_only/student_tsn-audio-r18_1xb16-15e_grid-tags-logmel.py']

model = dict(
    _delete_=True,
    type='CrossModalDistiller',
    student={{_base_.model}},
    teacher=dict(type='PrecomputedTeacher', feat_dim=128),
    neck=dict(
        type='ModalityNoiseFilter',
        teacher_dim=128,
        student_dim=512,
        num_classes=51,
        num_heads=2),
    distill_losses=dict(
        loss_csc=dict(
            type='CSCLoss',
            threshold=0.07,
            adaptive_temperature=True,
            loss_weight=1.0),
        loss_cls_n=dict(type='mmaction.BCELossWithLogits', loss_weight=1.0),
        loss_gate=dict(type='GateSparsityLoss', loss_weight=0.001),
        loss_tri=dict(
            type='CrossModalTripletLoss', margin=0.2, loss_weight=1.0)))

optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys=dict(distill_neck=dict(lr_mult=0.2))))

train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        pipeline={{_base_.distill_train_pipeline}}))
