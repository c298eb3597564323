# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/data/build_irrelevant_sound.py on real GRID clips: noise of each
clip's length, mixtures with another label's clip at an SNR, reproducible,
resumable and recorded; and the signal helpers it is made of."""
import json
import sys

import numpy as np
import pytest

from mmxkd.fileio import load_spectrogram
from ...conftest import GRID, run_tool
from ._scripts import load_script

irrelevant_sound = load_script('tools/data/build_irrelevant_sound.py')
choose_donors = irrelevant_sound.choose_donors
coloured_noise = irrelevant_sound.coloured_noise
mix_at_snr = irrelevant_sound.mix_at_snr

VIDEOS = ('bbaf2n.mp4', 'bbaf3s.mp4', 'bbaf4p.mp4')


def build(tmp_path, kind, out, *extra):
    ann = tmp_path / 'list.txt'
    ann.write_text(''.join(f'{v} {i % 2}\n' for i, v in enumerate(VIDEOS)))
    return run_tool([
        sys.executable, 'tools/data/build_irrelevant_sound.py',
        f'{GRID}/videos', str(ann), str(out), '--kind', kind, *extra
    ])


@pytest.fixture(scope='module')
def own(tmp_path_factory):
    """The clips' own log-mel spectrograms (build_audio_features.py), which
    every kind of altered sound is compared with."""
    own = tmp_path_factory.mktemp('own')
    run_tool([sys.executable, 'tools/data/build_audio_features.py',
              f'{GRID}/videos', str(own)])
    return own


@pytest.mark.integration
@pytest.mark.parametrize('kind', ['noise', 'mix'])
def test_every_clip_gets_its_altered_spectrogram(tmp_path, kind, own):
    out = tmp_path / kind
    proc = build(tmp_path, kind, out, '--snr-db', '3')
    assert 'written 3, failed 0' in proc.stdout
    record = json.loads((out / 'irrelevant_sound.json').read_text())
    assert (record['kind'], record['snr_db'], record['seed']) == (kind, 3, 0)
    for i, video in enumerate(VIDEOS):
        name = video.replace('.mp4', '.npy')
        spec = load_spectrogram(str(out / name))
        reference = load_spectrogram(str(own / name))
        # the clip's length, another content
        assert spec.shape == reference.shape
        assert not np.allclose(spec, reference)
        if kind == 'mix':  # a clip of the other label
            assert VIDEOS.index(record['clips'][name]) % 2 != i % 2
        else:
            assert record['clips'][name] in ('white', 'pink', 'brown',
                                             'tones', 'hiss')
    again = build(tmp_path, kind, tmp_path / 'again', '--snr-db', '3')
    assert 'written 3' in again.stdout
    for video in VIDEOS:
        name = video.replace('.mp4', '.npy')
        np.testing.assert_array_equal(
            load_spectrogram(str(out / name)),
            load_spectrogram(str(tmp_path / 'again' / name)))
    resumed = build(tmp_path, kind, out, '--snr-db', '3')
    assert '3 already done, 0 to compute' in resumed.stdout


def test_mix_is_at_the_asked_snr():
    rng = np.random.default_rng(0)
    own = rng.standard_normal(1000).astype(np.float32)
    other = rng.standard_normal(300).astype(np.float32) * 5
    mixed = mix_at_snr(own, other, 6.0)
    added = mixed - own
    snr = 10 * np.log10(np.mean(own**2) / np.mean(added**2))
    assert snr == pytest.approx(6.0, abs=1e-3)


def test_noise_colours_and_donors():
    rng = np.random.default_rng(0)
    for exponent in (0.0, 1.0, 2.0):
        noise = coloured_noise(rng, 4096, exponent)
        assert np.sqrt(np.mean(noise**2)) == pytest.approx(1.0)
    brown = np.abs(np.fft.rfft(coloured_noise(rng, 4096, 2.0)))
    assert brown[1:50].mean() > 10 * brown[-500:].mean()
    donors = choose_donors([0, 0, 1, 2], seed=0)
    assert [d for d in donors] != [-1] * 4
    assert all([0, 0, 1, 2][d] != label
               for d, label in zip(donors, [0, 0, 1, 2]))
    assert choose_donors([3, 3], seed=0) == [-1, -1]
