# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.utils.audio: the one log-mel definition."""
import numpy as np

from mmxkd.utils.audio import LOG_OFFSET, MelParams, log_mel


def test_shape_and_silence_floor():
    params = MelParams()
    feat = log_mel(np.zeros(16000, np.float32), params)
    assert feat.shape == (1 + 16000 // params.hop_length, params.n_mels)
    assert feat.dtype == np.float32 and feat.flags['C_CONTIGUOUS']
    np.testing.assert_allclose(feat, np.log(np.float32(LOG_OFFSET)))


def test_a_tone_lights_its_band():
    params = MelParams(n_mels=32)
    t = np.arange(8000) / params.sample_rate
    low = log_mel(np.sin(2 * np.pi * 300 * t).astype(np.float32), params)
    high = log_mel(np.sin(2 * np.pi * 3000 * t).astype(np.float32), params)
    assert low.shape[1] == 32
    assert low.mean(0).argmax() < high.mean(0).argmax()


def test_describe_names_every_parameter():
    text = MelParams(n_mels=40).describe()
    assert text.startswith('sample_rate=16000 n_fft=512 win_length=400 '
                           'hop_length=160 n_mels=40 fmin=0.0 fmax=8000.0')
    assert text.endswith('norm=slaney, log(mel + 1e-06)')
