# MMAction2's default runtime (mmaction::_base_/default_runtime.py), written
# out so that no config inherits more than one level of bases; ``_scope_``
# keeps its components in MMAction2's registries, as that base did.
default_scope = 'mmxkd'
custom_imports = dict(imports=['mmxkd'], allow_failed_imports=False)

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook', _scope_='mmaction'),
    timer=dict(type='IterTimerHook', _scope_='mmaction'),
    logger=dict(
        type='LoggerHook', interval=10, ignore_last=False,
        _scope_='mmaction'),
    param_scheduler=dict(type='ParamSchedulerHook', _scope_='mmaction'),
    checkpoint=dict(
        type='CheckpointHook',
        interval=1,
        save_best='auto',
        max_keep_ckpts=3,
        _scope_='mmaction'),
    sampler_seed=dict(type='DistSamplerSeedHook', _scope_='mmaction'),
    sync_buffers=dict(type='SyncBuffersHook', _scope_='mmaction'))

# nccl on GPUs; mmxkd switches to gloo when there is no CUDA device.
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))

log_processor = dict(
    type='LogProcessor', window_size=20, by_epoch=True, _scope_='mmaction')

vis_backends = [dict(type='LocalVisBackend', _scope_='mmaction')]
visualizer = dict(
    type='ActionVisualizer',
    vis_backends=[dict(type='LocalVisBackend')],
    _scope_='mmaction')

log_level = 'INFO'
load_from = None
resume = False
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
