# Copyright (c) mmxkd contributors. All rights reserved.
"""LoadAudioSpectrogram, SpectrogramWindow and RegionCrop."""
import numpy as np
import pytest

import mmxkd  # noqa: F401
from mmxkd.datasets.transforms import (LoadAudioSpectrogram, RegionCrop,
                                       SpectrogramWindow)


def _spec(tmp_path, frames=10, mels=4, name='a.npy'):
    spec = np.arange(frames * mels, dtype=np.float32).reshape(frames, mels)
    path = tmp_path / name
    np.save(path, spec)
    return str(path), spec


def test_load_spectrogram_audio_only(tmp_path):
    path, spec = _spec(tmp_path)
    results = LoadAudioSpectrogram()(dict(audio_path=path))
    np.testing.assert_array_equal(results['audios'], spec)
    assert results['length'] == 10 and results['total_frames'] == 10


def test_load_spectrogram_beside_video_keeps_video_frames(tmp_path):
    path, spec = _spec(tmp_path)
    results = LoadAudioSpectrogram(key='teacher_audio')(
        dict(audio_path=path, total_frames=75))
    np.testing.assert_array_equal(results['teacher_audio'], spec)
    assert results['total_frames'] == 75 and 'length' not in results


@pytest.mark.parametrize('content', [b'', b'\x93NUMPY garbage'])
def test_load_spectrogram_corrupt_names_file(tmp_path, content):
    path = tmp_path / 'bad.npy'
    path.write_bytes(content)
    with pytest.raises(ValueError, match='bad.npy'):
        LoadAudioSpectrogram()(dict(audio_path=str(path)))


def test_load_spectrogram_missing_names_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.npy'):
        LoadAudioSpectrogram()(dict(audio_path=str(tmp_path / 'nope.npy')))


def test_window_centre_crop_and_view():
    spec = np.arange(40, dtype=np.float32).reshape(10, 4)
    results = SpectrogramWindow(length=6)(dict(audios=spec))
    assert results['audios'].shape == (1, 1, 6, 4)
    np.testing.assert_array_equal(results['audios'][0, 0], spec[2:8])
    assert results['audios_view'] == '2+6'


def test_window_pads_with_minimum():
    spec = np.arange(8, dtype=np.float32).reshape(2, 4) + 5
    out = SpectrogramWindow(length=5, key='teacher_audio')(
        dict(teacher_audio=spec))['teacher_audio'][0, 0]
    np.testing.assert_array_equal(out[:2], spec)
    assert (out[2:] == 5).all()


def test_window_random_crop_stays_inside():
    spec = np.arange(40, dtype=np.float32).reshape(10, 4)
    np.random.seed(0)
    starts = set()
    for _ in range(30):
        results = SpectrogramWindow(length=4, random_crop=True)(
            dict(audios=spec))
        start = int(results['audios_view'].split('+')[0])
        np.testing.assert_array_equal(results['audios'][0, 0],
                                      spec[start:start + 4])
        starts.add(start)
    assert len(starts) > 1 and max(starts) <= 6


def test_region_crop():
    imgs = [np.random.rand(288, 360, 3) for _ in range(3)]
    results = RegionCrop(box=(120, 165, 240, 255))(dict(imgs=imgs))
    assert results['img_shape'] == (90, 120)
    np.testing.assert_array_equal(results['imgs'][1], imgs[1][165:255,
                                                              120:240])


def test_region_crop_outside_frame_fails():
    with pytest.raises(ValueError, match='exceeds'):
        RegionCrop(box=(0, 0, 100, 50))(dict(imgs=[np.zeros((40, 80, 3))]))
    with pytest.raises(ValueError, match='x1 < x2'):
        RegionCrop(box=(10, 0, 5, 5))
