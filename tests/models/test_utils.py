# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.models.utils: to_tokens and buffers_restored."""
import pytest
import torch
import torch.nn as nn

from mmxkd.models.utils import buffers_restored, to_tokens


def test_to_tokens_5d():
    feats = torch.randn(2, 8, 3, 4, 5)
    tokens = to_tokens(feats)
    assert tuple(tokens.shape) == (2, 60, 8)
    torch.testing.assert_close(tokens.mean(1), feats.mean(dim=(2, 3, 4)))
    # token l = (t, h, w) in row-major order
    torch.testing.assert_close(tokens[1, 2 * 20 + 3 * 5 + 4],
                               feats[1, :, 2, 3, 4])


def test_to_tokens_4d_with_num_segs():
    feats = torch.randn(6, 8, 3, 4)  # N=2 clips x 3 segments
    tokens = to_tokens(feats, num_segs=3)
    assert tuple(tokens.shape) == (2, 36, 8)
    expected_pool = feats.view(2, 3, 8, 3, 4).mean(dim=(1, 3, 4))
    torch.testing.assert_close(tokens.mean(1), expected_pool)
    # token (segment s, position k) of clip n
    torch.testing.assert_close(tokens[1, 2 * 12 + 7], feats[1 * 3 + 2, :, 1,
                                                            3])


def test_to_tokens_4d_without_num_segs():
    feats = torch.randn(2, 8, 3, 4)
    tokens = to_tokens(feats)
    assert tuple(tokens.shape) == (2, 12, 8)
    torch.testing.assert_close(tokens.mean(1), feats.mean(dim=(2, 3)))


def test_to_tokens_3d_2d_and_tuples():
    tokens = torch.randn(2, 5, 8)
    assert to_tokens(tokens) is tokens
    vectors = torch.randn(2, 8)
    out = to_tokens(vectors)
    assert tuple(out.shape) == (2, 1, 8)
    torch.testing.assert_close(out.mean(1), vectors)
    stages = (torch.randn(2, 4, 2, 2, 2), torch.randn(2, 8, 1, 2, 2))
    torch.testing.assert_close(
        to_tokens(stages), stages[1].flatten(2).transpose(1, 2))
    with pytest.raises(ValueError, match='unsupported'):
        to_tokens(torch.randn(1, 2, 3, 4, 5, 6))


def test_buffers_restored_keeps_statistics_and_the_first_graph():
    bn = nn.BatchNorm1d(3).train()
    x = torch.randn(5, 3, requires_grad=True)
    first = bn(x)  # moves the statistics once
    mean, var = bn.running_mean.clone(), bn.running_var.clone()
    tracked = bn.num_batches_tracked.clone()
    with buffers_restored(bn):
        second = bn(x.detach())
    torch.testing.assert_close(second, first.detach())
    torch.testing.assert_close(bn.running_mean, mean, rtol=0, atol=0)
    torch.testing.assert_close(bn.running_var, var, rtol=0, atol=0)
    assert bn.num_batches_tracked == tracked == 1
    # the first pass can still be differentiated (its saved buffers are
    # untouched), and the buffers are the module's own objects again
    first.sum().backward()
    assert x.grad is not None
    assert bn.running_mean is bn._buffers['running_mean']


def test_batch_norm_names_leave_out_norms_that_gather_the_ranks(monkeypatch):
    import mmxkd.models.utils as utils
    from mmxkd.models.layers import GlobalBatchNorm1d
    model = nn.Sequential(nn.BatchNorm1d(3), GlobalBatchNorm1d(3)).train()
    assert utils.batch_norm_names(model) == ['0', '1']
    monkeypatch.setattr(utils, 'world_size', lambda: 2)
    assert utils.batch_norm_names(model) == ['0']
    model.eval()
    assert utils.batch_norm_names(model) == []
