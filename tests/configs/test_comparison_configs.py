# Copyright (c) mmxkd contributors. All rights reserved.
"""Every method of the GRID comparisons, built from its config as the runner
builds it (model, optimizer wrapper), takes a training step on a small
batch and predicts with its pooled feature. Their data runs end to end in
tests/tools/test_compare_methods.py."""
import glob
import os.path as osp

import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

from mmxkd.registry import MODELS
from ..conftest import ROOT

COMMAND = sorted(
    glob.glob(osp.join(ROOT, 'configs/*/*_grid-command*-8x32.py')))
REVERSE = osp.join(
    ROOT, 'configs/mnf_csc/'
    'mnf-csc_tsn-audio-r18_r2plus1d-tiny_1xb16-15e_grid-tags-logmel.py')
# what each method adds to the student's own loss_cls_v
EXPECTED = {
    'student': set(),
    'mnf-csc': {'loss_csc', 'loss_cls_n', 'loss_gate', 'loss_tri'},
    'csc-only': {'loss_csc'},
    'kd': {'loss_kd'},
    'fitnet': {'loss_fitnet'},
    'crd': {'loss_crd'},
    'cosine': {'loss_cos'},
}
# the heads that trust the teacher per clip (configs/robust_kd), compared on
# the label-scarce all-words testbed only
TRUST_HEADS = {
    'selective-kd': {'loss_kd'},
    'selective-kd-small-loss': {'loss_kd'},
    'selective-kd-contradiction': {'loss_kd'},
    'label-agreement-kd': {'loss_kd'},
    'wsld-kd': {'loss_kd'},
    'confident-kd': {'loss_kd'},
    'gce-kd': {'loss_gce'},
}
EXPECTED.update(TRUST_HEADS)


def save_teacher_checkpoint(folder, num_classes: int) -> str:
    """A stand-in for an audio teacher's checkpoint: its 512-d classifier
    of ``num_classes``, which logit KD reads."""
    path = str(folder / 'teacher.pth')
    torch.save(
        dict(state_dict={
            'cls_head.fc_cls.weight': torch.randn(num_classes, 512),
            'cls_head.fc_cls.bias': torch.zeros(num_classes)
        }), path)
    return path


@pytest.fixture(scope='module')
def teacher_checkpoint(tmp_path_factory) -> str:
    """The 4-way command teacher's stand-in."""
    return save_teacher_checkpoint(tmp_path_factory.mktemp('teacher'), 4)


def build(config: str, **options) -> tuple:
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(options)
    with DefaultScope.overwrite_default_scope('mmxkd'):
        model = MODELS.build(cfg.model)
        optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    return cfg, model, optim_wrapper


def make_batch(num: int, shape: tuple, teacher_dim: int, labels: list):
    samples = []
    for i, label in enumerate(labels):
        sample = ActionDataSample().set_gt_label(label)
        sample.set_field(torch.rand(teacher_dim).numpy(), 'teacher_feat')
        sample.set_field(i, 'sample_idx')
        samples.append(sample)
    return dict(inputs=list(torch.rand((num, ) + shape) * 255),
                data_samples=samples)


def check_step(model, optim_wrapper, batch, method: str) -> None:
    model.train()
    losses = model.train_step(batch, optim_wrapper)
    assert {k for k in losses if k.startswith('loss_')} == (
        {'loss_cls_v'} | EXPECTED[method]), method
    assert all(torch.isfinite(v) for v in losses.values())
    model.eval()
    with torch.no_grad():
        results = model.test_step(
            dict(inputs=batch['inputs'][:2],
                 data_samples=batch['data_samples'][:2]))
    assert all(r.pred_feat.dim() == 1 for r in results)


def check_sizes_and_learning_rates(model, optim_wrapper, cfg) -> None:
    """The heads' sizes are the student's and the teacher's, and the MNF
    learns at 0.2x the student's learning rate."""
    head_cfg = model.student.cls_head
    for head in model.distill_heads.values():
        assert head.student_dim == head_cfg.in_channels
        assert head.num_classes == head_cfg.num_classes
        assert head.teacher_dim == model.teachers[head.teacher].feat_dim
    mnf = [h.mnf for h in model.distill_heads.values() if hasattr(h, 'mnf')]
    if not mnf:
        return
    assert mnf[0].student_dim == head_cfg.in_channels
    mnf_params = {id(p) for p in mnf[0].parameters()}
    base_lr = cfg.optim_wrapper.optimizer.lr
    for group in optim_wrapper.optimizer.param_groups:
        in_mnf = {id(p) in mnf_params for p in group['params']}
        assert len(in_mnf) == 1
        expected = 0.2 * base_lr if in_mnf.pop() else base_lr
        assert group['lr'] == pytest.approx(expected)


def test_every_method_of_the_comparison_has_a_config():
    methods = {osp.basename(c).split('_')[0] for c in COMMAND}
    # the tiny student gives the MNF one token at 8x32x32, which it refuses:
    # MNF + CSC is compared on the all-words testbed (test_token_counts.py)
    assert methods == set(EXPECTED) - {'mnf-csc'} - set(TRUST_HEADS), methods


@pytest.mark.parametrize('config', COMMAND, ids=osp.basename)
def test_command_configs_train_a_step(config, teacher_checkpoint):
    method = osp.basename(config).split('_')[0]
    options = {}
    if method == 'kd':
        options['model.teacher.classifier.checkpoint'] = teacher_checkpoint
    cfg, model, optim_wrapper = build(config, **options)
    assert cfg.test_cfg.type == 'RetrievalTestLoop'
    assert cfg.train_dataloader.drop_last
    if method == 'crd':  # the runner's TrainSetSizeHook does this
        model.set_train_size(10)
    check_sizes_and_learning_rates(model, optim_wrapper, cfg)
    # (1 clip, C, T, H, W) per sample, as the pipeline packs it
    batch = make_batch(4, (1, 3, 8, 32, 32), 512, [0, 1, 1, 3])
    before = {n: p.clone() for n, p in model.student.named_parameters()}
    check_step(model, optim_wrapper, batch, method)
    assert any(not torch.equal(p, before[n])
               for n, p in model.student.named_parameters())


def test_reverse_direction_config_trains_a_step():
    cfg, model, optim_wrapper = build(REVERSE)
    check_sizes_and_learning_rates(model, optim_wrapper, cfg)
    assert model.distill_heads['mnf_csc'].mnf.teacher_dim == 128
    tags = [torch.zeros(51) for _ in range(4)]
    for i, tag in enumerate(tags):
        tag[[i, i + 4, 50]] = 1
    # (1 window, 1, T, n_mels) per sample
    batch = make_batch(4, (1, 1, 304, 64), 128, tags)
    check_step(model, optim_wrapper, batch, 'mnf-csc')


ALL = sorted(
    c for c in glob.glob(osp.join(ROOT, 'configs/*/*.py'))
    if '/_base_/' not in c)


@pytest.mark.parametrize('config', ALL, ids=osp.basename)
def test_every_config_builds_its_model(config, teacher_checkpoint):
    cfg = Config.fromfile(config)
    # logit KD and the teacher's labels (unlabelled='teacher') read the
    # teacher's classifier when the model is built
    if cfg.model.get('heads') and any(
            h and (MODELS.get(h['type']).uses_teacher_logits
                   or h.get('unlabelled') == 'teacher')
            for h in cfg.model.heads.values()):
        cfg.model.teacher.classifier.checkpoint = teacher_checkpoint
    with DefaultScope.overwrite_default_scope('mmxkd'):
        MODELS.build(cfg.model)
    assert cfg.train_dataloader.get('drop_last'), 'train_dataloader.drop_last'
