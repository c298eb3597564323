# Copyright (c) mmxkd contributors. All rights reserved.
"""The library's train_step against the reference's two-optimizer step.

The reference is written here from docs/en/method.md ("MNF (per batch)",
"Losses", "Who learns from what"), not from the library's code: the MNF
forward, every loss and the routing ("MNF parameters: L_cls_n + L_gate +
L_tri + L_csc; student parameters: L_cls_v + L_csc"). Two Adam optimizers
(student lr, MNF at 0.2x), and the reference's backward sequence:
``a_losses.backward(retain_graph=True)``, student ``zero_grad``,
``v_losses.backward()`` into the student's parameters (the method counts
L_csc once in the MNF's gradient), both steps.
In float64 the parameters after several steps must agree to rounding.
"""
import copy

import torch
import torch.nn.functional as F
from mmengine.optim import build_optim_wrapper

import mmxkd
from mmxkd.registry import MODELS
from .._student import LABELS, TEACHER_DIM, make_batch, student_cfg

mmxkd.register_all_modules()

LR, MNF_LR_MULT, WEIGHT_DECAY, STEPS = 3e-4, 0.2, 5e-4, 4
T, MARGIN, GATE_WEIGHT = 0.07, 0.2, 0.001


def build_model() -> torch.nn.Module:
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='CrossModalDistiller',
            student=student_cfg(),
            teacher=dict(type='PrecomputedTeacher', feat_dim=TEACHER_DIM),
            heads=dict(mnf_csc=dict(type='MNFCSCHead'))))
    return model.double().train()


def batch_norm(x, bn):
    return F.batch_norm(x, bn.running_mean, bn.running_var, bn.weight,
                        bn.bias, True, bn.momentum, bn.eps)


def reference_losses(model, inputs, samples):
    """The method's terms, split as the reference's two loss sums."""
    mnf = model.distill_heads['mnf_csc'].mnf
    feats, _ = model.student.extract_feat(inputs, data_samples=samples)
    V = feats.flatten(2).transpose(1, 2)  # (N, L, Dv)
    v = V.mean(1)
    logits_v = model.student.cls_head(feats)
    y = torch.tensor([s.gt_label.item() for s in samples])
    a = torch.stack([torch.from_numpy(s.teacher_feat) for s in samples]).to(v)
    # MNF
    w1, bn_g, w2 = mnf.gate[0], mnf.gate[1], mnf.gate[3]
    g = torch.sigmoid(
        F.linear(
            F.relu(batch_norm(F.linear(torch.cat([a, v], 1), w1.weight,
                                       w1.bias), bn_g)), w2.weight, w2.bias))
    a_hat_raw = g * a
    proj = mnf.teacher_proj
    a_hat, a_proj = proj(a_hat_raw), proj(a)
    s, _ = mnf.attention(a_hat.unsqueeze(1), V, V)
    lin, bn_c = mnf.calibration[0], mnf.calibration[1]
    z = F.relu(batch_norm(F.linear(s.squeeze(1), lin.weight, lin.bias), bn_c))
    p_n = mnf.classifier(z)
    # losses
    l_cls_v = F.cross_entropy(logits_v, y)
    l_cls_n = F.cross_entropy(p_n, y)
    l_gate = GATE_WEIGHT * sum(
        w.weight.abs().sum(1).mean() for w in (w1, w2))
    l_tri = (F.cosine_similarity(v, a_proj) - F.cosine_similarity(v, a_hat) +
             MARGIN).clamp(min=0).mean()
    vn, zn = F.normalize(v, dim=1), F.normalize(z, dim=1)
    tau = (vn @ F.normalize(a_hat, dim=1).t()).detach().clamp(min=0) + T
    log_p = F.log_softmax((vn @ zn.t()) / tau, dim=1)
    m = (y.view(-1, 1) == y.view(1, -1)).to(log_p)
    l_csc = (-(log_p * m).sum(1) / m.sum(1)).mean()
    return l_cls_n + l_gate + l_tri + l_csc, l_cls_v + l_csc


def test_train_step_equals_the_reference_two_optimizer_step():
    library = build_model()
    reference = copy.deepcopy(library)
    optim_wrapper = build_optim_wrapper(
        library,
        dict(
            optimizer=dict(type='Adam', lr=LR, weight_decay=WEIGHT_DECAY),
            paramwise_cfg=dict(
                custom_keys={
                    'distill_heads.mnf_csc.mnf': dict(lr_mult=MNF_LR_MULT)
                })))
    mnf_ref = reference.distill_heads['mnf_csc'].mnf
    student_params = list(reference.student.parameters())
    opt_v = torch.optim.Adam(student_params, lr=LR, weight_decay=WEIGHT_DECAY)
    opt_a = torch.optim.Adam(
        mnf_ref.parameters(), lr=LR * MNF_LR_MULT, weight_decay=WEIGHT_DECAY)

    for step in range(STEPS):
        inputs, samples = make_batch(LABELS, seed=step)
        # (N, 1, C, T, H, W), as the data preprocessor (which casts to
        # float32) gives it
        inputs = inputs.double()
        # train_step after its data preprocessor
        with optim_wrapper.optim_context(library):
            losses = library(inputs, samples, mode='loss')
        parsed, _ = library.parse_losses(losses)
        optim_wrapper.update_params(parsed)

        opt_v.zero_grad()
        opt_a.zero_grad()
        a_losses, v_losses = reference_losses(reference, inputs, samples)
        a_losses.backward(retain_graph=True)
        opt_v.zero_grad()
        v_losses.backward(inputs=student_params)
        opt_a.step()
        opt_v.step()

    ref_params = dict(reference.named_parameters())
    diffs = {
        name: (param - ref_params[name]).abs().max().item()
        for name, param in library.named_parameters()
    }
    # 1e-9, not 1e-15: the losses are invariant to a few biases (attention's
    # key bias under softmax, out_proj's bias before BatchNorm), whose
    # gradients are rounding noise that Adam normalises to lr-sized steps;
    # every other parameter agrees to about 1e-15.
    assert max(diffs.values()) < 1e-9, sorted(
        diffs.items(), key=lambda kv: -kv[1])[:5]
    # the parameters moved, and the MNF's BN statistics moved once per step
    moved = (library.distill_heads['mnf_csc'].mnf.gate[0].weight -
             build_model().distill_heads['mnf_csc'].mnf.gate[0].weight)
    assert moved.abs().max() > 1e-6
    for name, buf in library.named_buffers():
        if name.endswith('num_batches_tracked'):
            assert buf.item() == STEPS, name
            continue
        torch.testing.assert_close(
            buf, dict(reference.named_buffers())[name], rtol=0, atol=1e-9,
            msg=name)
