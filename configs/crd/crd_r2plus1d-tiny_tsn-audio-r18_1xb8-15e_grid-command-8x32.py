# CRD with its paper's defaults (128-d embedding, 16384 negatives, T = 0.07,
# memory momentum 0.5, weight 0.8); the memory banks hold the training set.
_base_ = ['../student_only/student_r2plus1d-tiny_1xb8-15e_grid-command-8x32.py']

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
