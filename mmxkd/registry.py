# Copyright (c) mmxkd contributors. All rights reserved.
"""Registries of mmxkd, children of MMAction2's.

With ``default_scope='mmxkd'`` a type is looked up here first, then in
MMAction2's registries (our parents); ``mmaction.X`` and ``mmpretrain.X`` name
another scope explicitly. With ``default_scope='mmaction'`` and
``custom_imports=dict(imports=['mmxkd'])``, MMAction2's registries find our
types through their child scope ``mmxkd``. ``locations`` lets MMEngine import
the module that registers a type on first use.
"""
import mmpretrain.registry  # noqa: F401  (registers the ``mmpretrain`` scope)
from mmaction import registry as mmaction_registry
from mmengine.registry import Registry

RUNNERS = Registry(
    'runner',
    parent=mmaction_registry.RUNNERS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
RUNNER_CONSTRUCTORS = Registry(
    'runner constructor',
    parent=mmaction_registry.RUNNER_CONSTRUCTORS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
LOOPS = Registry(
    'loop',
    parent=mmaction_registry.LOOPS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
HOOKS = Registry(
    'hook',
    parent=mmaction_registry.HOOKS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
DATASETS = Registry(
    'dataset',
    parent=mmaction_registry.DATASETS,
    scope='mmxkd',
    locations=['mmxkd.datasets'])
DATA_SAMPLERS = Registry(
    'data sampler',
    parent=mmaction_registry.DATA_SAMPLERS,
    scope='mmxkd',
    locations=['mmxkd.datasets'])
TRANSFORMS = Registry(
    'transform',
    parent=mmaction_registry.TRANSFORMS,
    scope='mmxkd',
    locations=['mmxkd.datasets.transforms'])
MODELS = Registry(
    'model',
    parent=mmaction_registry.MODELS,
    scope='mmxkd',
    locations=['mmxkd.models'])
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=mmaction_registry.MODEL_WRAPPERS,
    scope='mmxkd',
    locations=['mmxkd.models'])
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=mmaction_registry.WEIGHT_INITIALIZERS,
    scope='mmxkd',
    locations=['mmxkd.models'])
OPTIMIZERS = Registry(
    'optimizer',
    parent=mmaction_registry.OPTIMIZERS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
OPTIM_WRAPPERS = Registry(
    'optim_wrapper',
    parent=mmaction_registry.OPTIM_WRAPPERS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=mmaction_registry.OPTIM_WRAPPER_CONSTRUCTORS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
PARAM_SCHEDULERS = Registry(
    'parameter scheduler',
    parent=mmaction_registry.PARAM_SCHEDULERS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
METRICS = Registry(
    'metric',
    parent=mmaction_registry.METRICS,
    scope='mmxkd',
    locations=['mmxkd.evaluation'])
EVALUATOR = Registry(
    'evaluator',
    parent=mmaction_registry.EVALUATOR,
    scope='mmxkd',
    locations=['mmxkd.evaluation'])
TASK_UTILS = Registry(
    'task util',
    parent=mmaction_registry.TASK_UTILS,
    scope='mmxkd',
    locations=['mmxkd.models'])
VISUALIZERS = Registry(
    'visualizer',
    parent=mmaction_registry.VISUALIZERS,
    scope='mmxkd',
    locations=['mmxkd.visualization'])
VISBACKENDS = Registry(
    'vis_backend',
    parent=mmaction_registry.VISBACKENDS,
    scope='mmxkd',
    locations=['mmxkd.visualization'])
LOG_PROCESSORS = Registry(
    'log_processor',
    parent=mmaction_registry.LOG_PROCESSORS,
    scope='mmxkd',
    locations=['mmxkd.engine'])
