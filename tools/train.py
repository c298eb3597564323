# Copyright (c) mmxkd contributors. All rights reserved.
"""Train a model (a distiller or a plain recognizer) from a config."""
from mmengine.config import Config

import mmxkd  # noqa: F401  (compatibility fixes, registries)
from mmxkd.apis.checkpoint_check import (check_train_checkpoint,
                                         resolve_train_checkpoint)
from mmxkd.apis.cli import (build_runner, build_train_parser,
                            merge_train_args, parse_args)
from mmxkd.fileio import hold_work_dir


def main() -> None:
    """Parse the arguments, merge them into the config, check the checkpoint
    it loads (``load_from`` or ``--resume``) and train."""
    args = parse_args(build_train_parser())
    cfg = merge_train_args(Config.fromfile(args.config), args)
    checkpoint = resolve_train_checkpoint(cfg)
    with hold_work_dir(cfg.work_dir):
        runner = build_runner(cfg)
        check_train_checkpoint(runner.model, checkpoint,
                               bool(cfg.get('resume')),
                               args.allow_partial_checkpoint)
        runner.train()


if __name__ == '__main__':
    main()
