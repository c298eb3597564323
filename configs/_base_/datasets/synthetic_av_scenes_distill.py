# synthetic_av_scenes.py for distillation (leaves with model.teacher and model.heads):
# the training set reads each clip's teacher feature,
# <teacher_root>/<clip>.npy, checked at build against teacher_feat_dim,
# through distill_train_pipeline, which also packs each clip's index in
# the training set (CRD's memory banks). All three are set in the base.
_base_ = './synthetic_av_scenes.py'

# what `make demo` (tools/run_distillation.py, seed 3) writes: its audio
# teacher's features and last checkpoint (5 epochs), so that the demo's
# MNF + CSC configs run after it without options
teacher_root = 'work_dirs/run_distillation_synthetic-scenes/seed3/teacher/features'
teacher_checkpoint = (
    'work_dirs/run_distillation_synthetic-scenes/seed3/teacher/epoch_5.pth')

train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(teacher=teacher_root),
        teacher_feat_dim={{_base_.teacher_feat_dim}},
        pipeline={{_base_.distill_train_pipeline}}))
