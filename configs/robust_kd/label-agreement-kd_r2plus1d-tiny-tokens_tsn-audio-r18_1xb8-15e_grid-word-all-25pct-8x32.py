# LabelAgreementKDHead: KD masked on the labelled clips whose teacher
# contradicts the label; every unlabelled clip is kept.
# Data, teacher and schedule of the label-scarce Hinton KD config (25 % of
# the training clips labelled); only the distillation head differs.
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
        label_agreement_kd=dict(type='LabelAgreementKDHead',
                                weighting='mask')))
train_dataloader = dict(dataset=dict(labelled_ratio=0.25))
test_cfg = dict(type='RetrievalTestLoop')
optim_wrapper = dict(optimizer=dict(lr=0.001))
