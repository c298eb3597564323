default_scope = 'mmxkd'
default_hooks = dict(runtime_info=dict(type='RuntimeInfoHook',
                                       _scope_='mmaction'),
                     timer=dict(type='IterTimerHook', _scope_='mmaction'),
                     logger=dict(type='LoggerHook',
                                 interval=10,
                                 ignore_last=False,
                                 _scope_='mmaction'),
                     param_scheduler=dict(type='ParamSchedulerHook',
                                          _scope_='mmaction'),
                     checkpoint=dict(type='CheckpointHook',
                                     interval=1,
                                     save_best='auto',
                                     _scope_='mmaction',
                                     max_keep_ckpts=3),
                     sampler_seed=dict(type='DistSamplerSeedHook',
                                       _scope_='mmaction'),
                     sync_buffers=dict(type='SyncBuffersHook',
                                       _scope_='mmaction'))
env_cfg = dict(cudnn_benchmark=False,
               mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
               dist_cfg=dict(backend='nccl'))
log_processor = dict(type='LogProcessor',
                     window_size=20,
                     by_epoch=True,
                     _scope_='mmaction')
vis_backends = [dict(type='LocalVisBackend', _scope_='mmaction')]
visualizer = dict(type='ActionVisualizer',
                  vis_backends=[dict(type='LocalVisBackend')],
                  _scope_='mmaction')
log_level = 'INFO'
load_from = None
resume = False
custom_imports = dict(imports=['mmxkd'], allow_failed_imports=False)
randomness = dict(seed=3, deterministic=False)
custom_hooks = [
    dict(type='mmxkd.TrainSetSizeHook'),
    dict(type='mmxkd.LastBatchSizeHook'),
    dict(type='mmxkd.NonFiniteLossHook'),
    dict(type='mmxkd.RandomStateHook'),
    dict(type='mmxkd.MNFHealthHook'),
    dict(type='mmxkd.TrustScoreHook')
]
