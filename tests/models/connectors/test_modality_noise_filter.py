# Copyright (c) mmxkd contributors. All rights reserved.
"""Unit tests of the Modality Noise Filter (MNF), a distillation connector."""
import pytest
import torch
import torch.nn as nn

import mmxkd
from mmxkd.models.layers import GlobalBatchNorm1d
from mmxkd.registry import MODELS

mmxkd.register_all_modules()

N, L = 4, 6


def build_mnf(teacher_dim=8, student_dim=8, num_classes=3, **kwargs):
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='ModalityNoiseFilter',
            teacher_dim=teacher_dim,
            student_dim=student_dim,
            num_classes=num_classes,
            **kwargs))


def inputs(teacher_dim, student_dim, n=N, length=L):
    gen = torch.Generator().manual_seed(1)
    # post-ReLU teacher features, as the reference's audio embedding
    a = torch.rand(n, teacher_dim, generator=gen)
    v_tokens = torch.randn(n, length, student_dim, generator=gen)
    return a, v_tokens


@pytest.mark.parametrize('teacher_dim,student_dim', [(8, 8), (12, 8)])
def test_output_shapes(teacher_dim, student_dim):
    mnf = build_mnf(teacher_dim, student_dim, num_classes=5)
    a, tokens = inputs(teacher_dim, student_dim)
    out = mnf(a, tokens)
    expected = dict(
        calibrated=(N, student_dim),
        filtered_teacher=(N, student_dim),
        teacher=(N, student_dim),
        gate=(N, teacher_dim),
        attention=(N, L),
        logits=(N, 5))
    assert set(out) == set(expected)
    for key, shape in expected.items():
        assert tuple(out[key].shape) == shape, key
        assert torch.isfinite(out[key]).all(), key


def test_projection_only_when_dims_differ():
    assert isinstance(build_mnf(8, 8).teacher_proj, nn.Identity)
    proj = build_mnf(12, 8).teacher_proj
    assert isinstance(proj, nn.Linear)
    assert (proj.in_features, proj.out_features) == (12, 8)
    # a bias would let P(g * a) and P(a) share a constant that satisfies the
    # triplet without any gating (docs/en/method.md, "Projection")
    assert proj.bias is None
    assert build_mnf(12, 8, teacher_proj_bias=True).teacher_proj.bias \
        is not None


def test_bias_free_projection_of_a_closed_gate_is_zero():
    mnf = build_mnf(12, 8).eval()
    a = torch.randn(3, 12)
    assert torch.equal(mnf.teacher_proj(torch.zeros_like(a)),
                       torch.zeros(3, 8))


def test_refuses_a_single_token():
    mnf = build_mnf(8, 8)
    a, tokens = inputs(8, 8)
    with pytest.raises(ValueError, match=r'1 token per clip.*\(4, 1, 8\)'
                       r'.*spatial_strides'):
        mnf(a, tokens[:, :1])


def test_gate_layers_follow_method():
    # W1: (Da + Dv) -> Da / 2, W2: Da / 2 -> Da
    mnf = build_mnf(12, 8)
    w1, w2 = mnf.gate_weights
    assert tuple(w1.shape) == (6, 20)
    assert tuple(w2.shape) == (12, 6)
    assert tuple(build_mnf(12, 8, gate_hidden_dim=5).gate_weights[0].shape) \
        == (5, 20)


@pytest.mark.parametrize('train', [True, False])
@pytest.mark.parametrize('teacher_dim,student_dim', [(8, 8), (12, 8)])
def test_attention_is_a_distribution_over_tokens(train, teacher_dim,
                                                 student_dim):
    mnf = build_mnf(teacher_dim, student_dim).train(train)
    a, tokens = inputs(teacher_dim, student_dim)
    att = mnf(a, tokens)['attention']
    assert (att >= 0).all()
    torch.testing.assert_close(att.sum(dim=1), torch.ones(N))
    # not a trivial uniform distribution
    assert not torch.allclose(att, torch.full_like(att, 1 / L))


def test_attention_matches_manual_multihead_average():
    # The attention map is the head-average of softmax(q k^T / sqrt(d)),
    # with the query being the (projected) filtered teacher feature.
    mnf = build_mnf(8, 8).eval()
    a, tokens = inputs(8, 8)
    out = mnf(a, tokens)
    mha = mnf.attention
    dim, heads = 8, mha.num_heads
    w_q, w_k, _ = mha.in_proj_weight.chunk(3)
    b_q, b_k, _ = mha.in_proj_bias.chunk(3)
    q = out['filtered_teacher'] @ w_q.t() + b_q  # (N, D)
    k = tokens @ w_k.t() + b_k  # (N, L, D)
    hd = dim // heads
    q = q.view(N, heads, hd)
    k = k.view(N, L, heads, hd)
    scores = torch.einsum('nhd,nlhd->nhl', q, k) / hd**0.5
    expected = scores.softmax(dim=-1).mean(dim=1)
    torch.testing.assert_close(out['attention'], expected)


@pytest.mark.parametrize('teacher_dim,student_dim', [(8, 8), (12, 8)])
def test_gate_range_and_shape(teacher_dim, student_dim):
    mnf = build_mnf(teacher_dim, student_dim).train()
    a, tokens = inputs(teacher_dim, student_dim)
    gate = mnf(a, tokens)['gate']
    assert tuple(gate.shape) == (N, teacher_dim)
    assert ((gate > 0) & (gate < 1)).all()


def test_gate_matches_formula():
    # g = sigmoid(W2 ReLU(BN(W1 [a; mean_L(V)])))
    mnf = build_mnf(8, 8).eval()
    with torch.no_grad():
        bn = mnf.gate[1]
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
    a, tokens = inputs(8, 8)
    lin1, lin2 = mnf.gate[0], mnf.gate[3]
    h = lin1(torch.cat([a, tokens.mean(dim=1)], dim=1))
    h = (h - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)
    h = torch.relu(h * bn.weight + bn.bias)
    expected = torch.sigmoid(lin2(h))
    torch.testing.assert_close(mnf(a, tokens)['gate'], expected)


def test_identity_teacher_and_filtered_teacher_when_dims_equal():
    mnf = build_mnf(8, 8).train()
    a, tokens = inputs(8, 8)
    out = mnf(a, tokens)
    assert torch.equal(out['teacher'], a)
    torch.testing.assert_close(out['filtered_teacher'], out['gate'] * a)
    # the gate actually filters something
    assert not torch.allclose(out['filtered_teacher'], a)


def test_projected_teacher_and_filtered_teacher_when_dims_differ():
    mnf = build_mnf(12, 8).train()
    a, tokens = inputs(12, 8)
    out = mnf(a, tokens)
    proj = mnf.teacher_proj
    torch.testing.assert_close(out['teacher'], proj(a))
    torch.testing.assert_close(out['filtered_teacher'],
                               proj(out['gate'] * a))


def test_calibrated_and_logits_follow_attention_output():
    mnf = build_mnf(8, 8).eval()
    a, tokens = inputs(8, 8)
    out = mnf(a, tokens)
    attended, _ = mnf.attention(out['filtered_teacher'].unsqueeze(1), tokens,
                                tokens)
    z = mnf.calibration(attended.squeeze(1))
    torch.testing.assert_close(out['calibrated'], z)
    assert (out['calibrated'] >= 0).all()  # ReLU
    torch.testing.assert_close(out['logits'], mnf.classifier(z))


@pytest.mark.parametrize('teacher_dim,student_dim', [(8, 8), (12, 8)])
def test_gradients_reach_every_parameter(teacher_dim, student_dim):
    mnf = build_mnf(teacher_dim, student_dim).train()
    a, tokens = inputs(teacher_dim, student_dim)
    tokens.requires_grad_(True)
    out = mnf(a, tokens)
    # random weights avoid the cancellations of a plain sum through BN
    gen = torch.Generator().manual_seed(2)
    total = sum((v * torch.randn(v.shape, generator=gen)).sum()
                for v in out.values())
    total.backward()
    for name, param in mnf.named_parameters():
        assert param.grad is not None, name
        assert param.grad.abs().sum() > 0, name
    assert tokens.grad.abs().sum() > 0


@pytest.mark.parametrize(
    'a_shape,v_shape',
    [
        ((N, 7), (N, L, 8)),  # wrong teacher dim
        ((N, 8, 1), (N, L, 8)),  # 3-D teacher
        ((N, 8), (N, L, 6)),  # wrong student dim
        ((N, 8), (N, 8)),  # 2-D student
        ((N, 8), (N, 1, L, 8)),  # 4-D student
    ])
def test_wrong_input_shapes_raise(a_shape, v_shape):
    mnf = build_mnf(8, 8)
    with pytest.raises(ValueError, match=r'must be \(N'):
        mnf(torch.rand(a_shape), torch.rand(v_shape))


def test_student_dim_not_divisible_by_heads_raises():
    with pytest.raises(ValueError, match='divisible'):
        build_mnf(8, 9, num_heads=2)
    with pytest.raises(ValueError, match='num_heads'):
        build_mnf(8, 8, num_heads=3)
    assert build_mnf(8, 12, num_heads=3).attention.num_heads == 3


def test_token_mask_equals_dropping_the_masked_tokens():
    torch.manual_seed(0)
    mnf = build_mnf(teacher_dim=6, student_dim=8).eval()
    teacher = torch.rand(2, 6)
    tokens = torch.rand(2, 5, 8)
    mask = torch.tensor([[True, True, True, False, False],
                         [True, True, True, True, True]])
    with torch.no_grad():
        masked = mnf(teacher, tokens, mask)
        first = mnf(teacher[:1], tokens[:1, :3])
        second = mnf(teacher[1:], tokens[1:])
    assert torch.all(masked['attention'][0, 3:] == 0)
    torch.testing.assert_close(masked['attention'][0, :3],
                               first['attention'][0])
    for key in ('calibrated', 'gate', 'logits'):
        torch.testing.assert_close(masked[key][:1], first[key])
        torch.testing.assert_close(masked[key][1:], second[key])


def test_token_mask_needs_a_valid_token_per_clip():
    mnf = build_mnf(teacher_dim=6, student_dim=8)
    mask = torch.tensor([[True, False], [False, False]])
    with pytest.raises(ValueError, match='token_mask'):
        mnf(torch.rand(2, 6), torch.rand(2, 2, 8), mask)


def test_norm_cfg_keeps_the_state_dict_keys():
    default = build_mnf(16, 8)
    sync = build_mnf(16, 8, norm_cfg=dict(type='SyncBN'))
    per_rank = build_mnf(16, 8, norm_cfg=dict(type='BN1d'))
    assert isinstance(sync.gate[1], nn.SyncBatchNorm)
    assert isinstance(sync.calibration[1], nn.SyncBatchNorm)
    assert isinstance(default.gate[1], GlobalBatchNorm1d)
    assert type(per_rank.gate[1]) is nn.BatchNorm1d
    assert list(sync.state_dict()) == list(default.state_dict()) == list(
        per_rank.state_dict())
    assert {'gate.1.running_mean', 'calibration.1.weight'} <= set(
        default.state_dict())
    sync.load_state_dict(default.state_dict())


def test_global_batch_norm_is_batch_norm_in_one_process():
    torch.manual_seed(0)
    x = torch.randn(6, 5)
    bn, ref = GlobalBatchNorm1d(5), nn.BatchNorm1d(5)
    ref.load_state_dict(bn.state_dict())
    torch.testing.assert_close(bn(x), ref(x), rtol=0, atol=0)
    torch.testing.assert_close(bn.running_var, ref.running_var)
    bn.eval()
    ref.eval()
    torch.testing.assert_close(bn(x), ref(x), rtol=0, atol=0)
