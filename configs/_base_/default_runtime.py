_base_ = 'mmaction::_base_/default_runtime.py'

default_scope = 'mmxkd'
custom_imports = dict(imports=['mmxkd'], allow_failed_imports=False)

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10, ignore_last=False),
    checkpoint=dict(
        type='CheckpointHook', interval=1, save_best='auto', max_keep_ckpts=3))

# nccl on GPUs; mmxkd switches to gloo when there is no CUDA device.
env_cfg = dict(dist_cfg=dict(backend='nccl'))
randomness = dict(seed=3, deterministic=False)

# (in any default scope) TrainSetSizeHook sizes per-sample state (CRD's
# memory banks) from the training set; NonFiniteLossHook stops training at
# the first NaN/inf loss term, before its optimizer step; RandomStateHook
# saves the random states in checkpoints, so --resume continues bit-exact;
# LastBatchSizeHook fails at train start when a batch of one clip would reach
# a BatchNorm head (the MNF); MNFHealthHook warns after an epoch in which the
# MNF's gate stayed within 0.1 of 0.5 or its triplet term sat at 0;
# TrustScoreHook scores each head's per-clip trust in the teacher against the
# clips' sound_relevant truth (ROC-AUC per epoch, trust.json).
custom_hooks = [
    dict(type='mmxkd.TrainSetSizeHook'),
    dict(type='mmxkd.LastBatchSizeHook'),
    dict(type='mmxkd.NonFiniteLossHook'),
    dict(type='mmxkd.RandomStateHook'),
    dict(type='mmxkd.MNFHealthHook'),
    dict(type='mmxkd.TrustScoreHook'),
]
