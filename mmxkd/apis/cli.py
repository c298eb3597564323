# Copyright (c) mmxkd contributors. All rights reserved.
"""The command-line arguments of the tools that run an MMEngine config, and
how they change the config.

``tools/train.py`` and ``tools/test.py`` take their whole parsers from here
(:func:`build_train_parser`, :func:`build_test_parser`), with the merges that
read them; ``tools/extract_teacher_features.py`` adds the shared arguments
(:func:`add_runner_args`) to its own parser.
"""
import argparse
import os
import os.path as osp
from typing import List, Optional

import torch
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from mmxkd.registry import RUNNERS
from .checkpoint_check import PARTIAL_FLAG

LAUNCHERS = ('none', 'pytorch', 'slurm', 'mpi')


def add_runner_args(parser: argparse.ArgumentParser,
                    work_dir_help: Optional[str] = None) -> None:
    """Add the arguments every config-running tool takes.

    Args:
        parser: The tool's parser.
        work_dir_help: The help of ``--work-dir``; without it the tool takes
            no ``--work-dir``.

    ``--cfg-options KEY=VALUE ...`` (overrides of the config),
    ``--launcher`` (one of :data:`LAUNCHERS`) and ``--local_rank`` /
    ``--local-rank`` (set by the distributed launchers) are always added.
    """
    if work_dir_help is not None:
        parser.add_argument('--work-dir', help=work_dir_help)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, xxx=yyy format')
    parser.add_argument(
        '--launcher', choices=LAUNCHERS, default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_args(parser: argparse.ArgumentParser,
               argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line; ``LOCAL_RANK`` is set from ``--local_rank``
    where the launcher did not set it.

    Args:
        parser: A parser with :func:`add_runner_args`.
        argv: The arguments (default: ``sys.argv[1:]``).

    Returns:
        The parsed arguments.
    """
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_runner_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Set the launcher and the work dir from the shared arguments.

    Args:
        cfg: The config, changed in place.
        args: With ``config``, ``launcher`` and ``work_dir``.

    Returns:
        ``cfg``: ``work_dir`` is ``--work-dir``, else the config's, else
        ``./work_dirs/<config stem>``.
    """
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return cfg


def merge_cfg_options(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply ``--cfg-options``.

    Args:
        cfg: The config, changed in place.
        args: With ``cfg_options`` (None if not given).

    Returns:
        ``cfg``.
    """
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def build_runner(cfg: Config) -> Runner:
    """The config's runner: MMEngine's, or ``runner_type`` from mmxkd's
    registry.

    Args:
        cfg: The merged config.

    Returns:
        The runner.
    """
    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    return RUNNERS.build(cfg)


def build_train_parser() -> argparse.ArgumentParser:
    """The arguments of ``tools/train.py``.

    Returns:
        The parser.
    """
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint; without a value, from the '
        'latest checkpoint in the work dir')
    parser.add_argument(
        PARTIAL_FLAG,
        action='store_true',
        help='train from a load_from checkpoint even when it lacks some of '
        'the model\'s weights (the student\'s, for a distiller) or has them '
        'in other shapes: those stay as initialised. Without it such a '
        'checkpoint is an error; a resumed checkpoint must always be '
        'complete')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual batch size')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--diff-rank-seed',
        action='store_true',
        help='a different seed on each rank')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='deterministic options for the CUDNN backend')
    add_runner_args(parser, 'the dir to save logs and models')
    return parser


def merge_train_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Merge the arguments of :func:`build_train_parser` into a config.

    Args:
        cfg: The config, changed in place.
        args: The parsed arguments.

    Returns:
        ``cfg``; ``--cfg-options`` are applied after the other arguments.

    Raises:
        ValueError: ``--amp`` without CUDA or with another optimizer
            wrapper than ``OptimWrapper``; ``sync_bn`` without CUDA.
    """
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    merge_runner_args(cfg, args)
    if args.amp:
        if not torch.cuda.is_available():
            raise ValueError('--amp needs a CUDA device (MMEngine\'s '
                             'AmpOptimWrapper); train without it on a CPU')
        optim_wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if optim_wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError('--amp needs optim_wrapper.type OptimWrapper, '
                             f'got {optim_wrapper}')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if cfg.get('randomness', None) is None:
        cfg.randomness = dict(seed=args.seed)
    if args.seed is not None:
        cfg.randomness.seed = args.seed
    if args.diff_rank_seed:
        cfg.randomness.diff_rank_seed = True
    if args.deterministic:
        cfg.randomness.deterministic = True
    merge_cfg_options(cfg, args)
    if cfg.get('sync_bn') and not torch.cuda.is_available():
        raise ValueError(f'sync_bn={cfg.sync_bn!r} needs CUDA devices; '
                         'remove it from the config on a CPU-only machine')
    return cfg


def build_test_parser() -> argparse.ArgumentParser:
    """The arguments of ``tools/test.py``.

    Returns:
        The parser.
    """
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--dump',
        type=str,
        help='write the predictions for offline evaluation: to an .npz file '
        '(pred_score, gt_label; what mmxkd\'s tools read) or, as in '
        'MMAction2, to a .pkl file (mmxkd never reads pickles back)')
    parser.add_argument(
        PARTIAL_FLAG,
        action='store_true',
        help='test even when the checkpoint lacks some of the model\'s '
        'weights (the student\'s, for a distiller) or has them in other '
        'shapes: those stay as initialised. Without it such a checkpoint '
        'is an error that says how many weights it lacks and has extra')
    add_runner_args(
        parser,
        'the directory to save the file containing evaluation metrics')
    return parser


def merge_test_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Merge the arguments of :func:`build_test_parser` into a config.

    Args:
        cfg: The config, changed in place.
        args: The parsed arguments.

    Returns:
        ``cfg``, loading the checkpoint; with ``--dump`` a
        ``DumpPredictions`` (``.npz``) or MMEngine's ``DumpResults``
        (``.pkl``) metric is added to the test evaluator. ``--cfg-options``
        are applied last.

    Raises:
        ValueError: ``--dump`` is not an ``.npz``, ``.pkl`` or ``.pickle``
            file.
    """
    merge_runner_args(cfg, args)
    if args.dump is not None:
        if args.dump.endswith('.npz'):
            dump_metric = dict(type='DumpPredictions', out_file_path=args.dump)
        elif args.dump.endswith(('.pkl', '.pickle')):
            dump_metric = dict(type='DumpResults', out_file_path=args.dump)
        else:
            raise ValueError(
                f'--dump must end with .npz (or .pkl), got {args.dump}')
        if isinstance(cfg.test_evaluator, (list, tuple)):
            cfg.test_evaluator = [*cfg.test_evaluator, dump_metric]
        else:
            cfg.test_evaluator = [cfg.test_evaluator, dump_metric]
    cfg.load_from = args.checkpoint
    return merge_cfg_options(cfg, args)
