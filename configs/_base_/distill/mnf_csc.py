# MNF + CSC (Xia et al. 2023, ../../../../shared/METHOD.md), as the reference
# sets it: loss weights 1, gate sparsity 0.001, triplet margin 0.2, adaptive
# temperature with t = 0.07, 2 attention heads, the MNF at 0.2x the student's
# learning rate. The MNF's sizes come from the student and the teacher.
# A leaf composes it with a student-only config:
#   _base_ = ['../student_only/<student leaf>.py', '../_base_/distill/mnf_csc.py']
#   model = dict(teacher={{_base_.distill_teacher}}, heads={{_base_.distill_heads}})
#   optim_wrapper = {{_base_.distill_optim_wrapper}}
#   train_dataloader = {{_base_.distill_train_dataloader}}
distill_heads = dict(
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
            type='CrossModalTripletLoss', margin=0.2, loss_weight=1.0)))
distill_optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'distill_heads.mnf_csc.mnf': dict(lr_mult=0.2)}))
