# Copyright (c) mmxkd contributors. All rights reserved.
"""Test a checkpoint with the config's test dataloader and evaluator."""
import os.path as osp

from mmengine.config import Config

import mmxkd  # noqa: F401  (compatibility fixes, registries)
from mmxkd.apis.checkpoint_check import check_test_checkpoint
from mmxkd.apis.cli import (build_runner, build_test_parser, merge_test_args,
                            parse_args)
from mmxkd.fileio import hold_work_dir


def main() -> None:
    """Parse the arguments, merge them into the config, check that the
    checkpoint holds the model's weights and test."""
    args = parse_args(build_test_parser())
    cfg = merge_test_args(Config.fromfile(args.config), args)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint {args.checkpoint} does not exist')
    with hold_work_dir(cfg.work_dir):
        runner = build_runner(cfg)
        check_test_checkpoint(runner.model, args.checkpoint,
                              args.allow_partial_checkpoint)
        runner.test()


if __name__ == '__main__':
    main()
