# Copyright (c) mmxkd contributors. All rights reserved.
"""Export the student of a distillation checkpoint for plain MMAction2.

The output holds the student's weights only (tensors and plain metadata), so
it loads with ``torch.load(weights_only=True)``, MMAction2's
``init_recognizer`` and MMAction2's ``tools/test.py``. With ``--out-config``
it also writes the student's config: the distiller's ``model.student`` as
``model``, ``default_scope='mmaction'``, MMAction2's ``VideoDataset`` on the
same list files, and the teacher-feature steps removed from the pipelines.
"""
import argparse
import copy
import os.path as osp

from mmengine.config import Config
from mmengine.runner.checkpoint import _load_checkpoint

import mmxkd
from mmxkd.fileio import save_torch

STUDENT_PREFIX = 'student.'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config of the distiller')
    parser.add_argument('checkpoint', help='checkpoint of the distiller')
    parser.add_argument('out_file', help='path of the student checkpoint')
    parser.add_argument(
        '--out-config', help='also write the student-only config here')
    return parser.parse_args()


def extract_student_state(checkpoint: dict, source: str) -> dict:
    """The student's weights, without the ``student.`` prefix."""
    state_dict = checkpoint.get('state_dict', checkpoint)
    student = {
        key[len(STUDENT_PREFIX):]: value.detach().cpu().clone()
        for key, value in state_dict.items()
        if key.startswith(STUDENT_PREFIX)
    }
    if not student:
        raise KeyError(f'{source} has no "{STUDENT_PREFIX}*" weights: is it a '
                       'CrossModalDistiller checkpoint?')
    return student


def _strip_teacher_steps(pipeline: list) -> list:
    steps = []
    for step in pipeline:
        if step['type'] == 'LoadTeacherFeature':
            continue
        step = copy.deepcopy(step)
        if step['type'] == 'PackActionInputs':
            step.pop('algorithm_keys', None)
        steps.append(step)
    return steps


def student_config(cfg: Config) -> Config:
    """A plain MMAction2 config for the distiller's student."""
    if cfg.model.get('type') != 'CrossModalDistiller':
        raise ValueError(f'model.type of {cfg.filename} is '
                         f'{cfg.model.get("type")}, not CrossModalDistiller')
    out = copy.deepcopy(cfg)
    out.model = cfg.model.student
    out.default_scope = 'mmaction'
    # mmxkd.compat: MMAction2 1.2.0 from PyPI cannot import its models alone
    out.custom_imports = dict(imports=['mmxkd.compat'])
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = out.get(key)
        if not loader:
            continue
        dataset = loader.dataset
        if dataset.get('type') != 'AudioVisualDataset':
            continue
        if dataset.ann_file.endswith('.json'):
            raise ValueError(f'{key}.dataset.ann_file is JSON; MMAction2\'s '
                             'VideoDataset reads list files only')
        dataset.type = 'VideoDataset'
        dataset.data_prefix = dict(video=dataset.data_prefix['video'])
        for unused in ('subset', 'filename_tmpl', 'teacher_feat_dim'):
            dataset.pop(unused, None)
        dataset.pipeline = _strip_teacher_steps(dataset.pipeline)
    for key in ('train_pipeline', 'val_pipeline', 'test_pipeline'):
        if key in out:
            out[key] = _strip_teacher_steps(out[key])
    return out


def main() -> None:
    args = parse_args()
    if osp.abspath(args.out_file) == osp.abspath(args.checkpoint):
        raise ValueError('out_file must differ from the input checkpoint')
    cfg = Config.fromfile(args.config)
    out_cfg = student_config(cfg) if args.out_config else None
    checkpoint = _load_checkpoint(args.checkpoint, map_location='cpu')
    meta = checkpoint.get('meta', {})
    out = dict(
        state_dict=extract_student_state(checkpoint, args.checkpoint),
        meta=dict(
            mmxkd_version=mmxkd.__version__,
            source_checkpoint=osp.basename(args.checkpoint),
            epoch=int(meta.get('epoch', 0)),
            iter=int(meta.get('iter', 0))))
    save_torch(args.out_file, out)
    print(f'student weights ({len(out["state_dict"])} tensors) written to '
          f'{args.out_file}')
    if out_cfg is not None:
        out_cfg.dump(args.out_config)
        print(f'student config written to {args.out_config}')


if __name__ == '__main__':
    main()
