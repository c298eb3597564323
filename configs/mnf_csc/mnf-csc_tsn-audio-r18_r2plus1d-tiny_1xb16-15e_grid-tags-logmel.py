# Reverse direction with the same components: the video teacher
# (configs/video_teacher, 128-d features) teaches the audio student of
# student_only/student_tsn-audio-r18_1xb16-15e_grid-tags-logmel.py through
# MNF + CSC. Labels are tags: the MNF classifier uses binary cross-entropy
# and CSC weighs pairs by the overlap of their tags.
_base_ = [
    '../_base_/models/distiller_tsn_audio_r18.py',
    '../_base_/datasets/grid_tags_audio_distill.py',
    '../_base_/schedules/adam_teacher_15e.py', '../_base_/default_runtime.py'
]

model = dict(
    student=dict(
        cls_head=dict(
            num_classes=51,
            average_clips='score',
            multi_class=True,
            loss_cls=dict(type='mmaction.BCELossWithLogits'))),
    teacher=dict(
        type='PrecomputedTeacher',
        feat_dim=128,
        classifier=dict(checkpoint=None)),
    heads=dict(
        mnf_csc=dict(
            type='MNFCSCHead',
            mnf=dict(type='ModalityNoiseFilter', num_heads=2),
            loss_csc=dict(
                type='CSCLoss',
                threshold=0.07,
                adaptive_temperature=True,
                loss_weight=1.0),
            loss_cls_n=dict(
                type='mmaction.BCELossWithLogits', loss_weight=1.0),
            loss_gate=dict(type='GateSparsityLoss', loss_weight=0.001),
            loss_tri=dict(
                type='CrossModalTripletLoss', margin=0.2, loss_weight=1.0))))
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'distill_heads.mnf_csc.mnf': dict(lr_mult=0.2)}))
default_hooks = dict(checkpoint=dict(save_best='tagging/mAP', rule='greater'))
