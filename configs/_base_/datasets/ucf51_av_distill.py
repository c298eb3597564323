# ucf51_av.py for distillation (leaves with model.teacher and model.heads):
# the training set reads each clip's teacher feature,
# <teacher_root>/<clip>.npy, checked at build against teacher_feat_dim,
# through distill_train_pipeline, which also packs each clip's index in
# the training set (CRD's memory banks). All three are set in the base.
_base_ = './ucf51_av.py'

train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher={{_base_.teacher_root}}),
        teacher_feat_dim={{_base_.teacher_feat_dim}},
        pipeline={{_base_.distill_train_pipeline}}))
