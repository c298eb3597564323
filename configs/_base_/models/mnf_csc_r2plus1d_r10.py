# MNF + CSC around the reference's student, for a frozen 512-d audio
# embedding per clip (loss weights all 1, gate sparsity 0.001, margin 0.2).
_base_ = './r2plus1d_r10.py'

model = dict(
    _delete_=True,
    type='CrossModalDistiller',
    student={{_base_.model}},
    teacher=dict(type='PrecomputedTeacher', feat_dim=512),
    neck=dict(
        type='ModalityNoiseFilter',
        teacher_dim=512,
        student_dim=512,
        num_classes=51,
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
