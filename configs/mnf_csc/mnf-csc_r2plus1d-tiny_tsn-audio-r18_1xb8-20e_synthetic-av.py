# MNF + CSC on the generated clips (tools/data/synthetic): runs on a CPU in
# minutes. The teacher features are the 512-d embeddings of the audio
# teacher configs/audio_teacher/tsn-audio_r18_1xb16-5e_synthetic-av-logmel.py
# (tools/extract_teacher_features.py). Same losses and optimizer as the
# reference configs.
_base_ = [
    '../_base_/models/distiller_r2plus1d_tiny.py',
    '../_base_/datasets/synthetic_av_distill.py',
    '../_base_/schedules/adam_20e.py', '../_base_/default_runtime.py'
]

model = dict(
    teacher=dict(
        type='PrecomputedTeacher',
        feat_dim=512,
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
            loss_cls_n=dict(type='mmaction.CrossEntropyLoss', loss_weight=1.0),
            loss_gate=dict(type='GateSparsityLoss', loss_weight=0.001),
            loss_tri=dict(
                type='CrossModalTripletLoss', margin=0.2, loss_weight=1.0))))
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'distill_heads.mnf_csc.mnf': dict(lr_mult=0.2)}))
