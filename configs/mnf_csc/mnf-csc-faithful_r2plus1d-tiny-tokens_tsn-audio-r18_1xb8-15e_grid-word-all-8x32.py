# MNF + CSC exactly as the reference sets it (the heads below:
# loss weights 1, gate sparsity 0.001, margin 0.2, adaptive temperature with
# t = 0.07, 2 heads, the MNF at 0.2x the student's lr) on every GRID word
# (all six slots, 51-way), with the token-keeping student (16 tokens at
# 8x32x32) and the data and schedule of
# ../student_only/student_r2plus1d-tiny-tokens_1xb8-15e_grid-word-all-8x32.py.
# The only deviation is the one the sizes force: the 512-d teacher is
# projected to the student's 128 channels, without a bias (the reference has
# Da = Dv and no projection).
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
test_cfg = dict(type='RetrievalTestLoop')
optim_wrapper = dict(
    optimizer=dict(lr=0.001),
    paramwise_cfg=dict(
        custom_keys={'distill_heads.mnf_csc.mnf': dict(lr_mult=0.2)}))
