# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/data/build_audio_features.py on real GRID clips, through its CLI."""
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List

import av
import librosa
import numpy as np
import pytest

from ...conftest import GRID, run_tool

pytestmark = pytest.mark.integration

TOOL = 'tools/data/build_audio_features.py'
GRID_VIDEOS = osp.join(GRID, 'videos')
# relative path in the test's VIDEO_ROOT -> GRID clip id
CLIPS = {
    'bbaf2n.mp4': 'bbaf2n',
    'bbaf3s.mp4': 'bbaf3s',
    'spk/bbaf4p.mp4': 'bbaf4p',
    'spk/deep/bbas3a.mp4': 'bbas3a',
}
N_MELS, HOP = 64, 160


def _npy_path(out_dir: str, relpath: str) -> str:
    return osp.join(out_dir, osp.splitext(relpath)[0] + '.npy')


def _link_clips(root: str, clips: Dict[str, str]) -> None:
    """Symlink GRID clips into ``root`` under the given relative paths."""
    for relpath, clip_id in clips.items():
        path = osp.join(root, relpath)
        os.makedirs(osp.dirname(path), exist_ok=True)
        os.symlink(osp.realpath(osp.join(GRID_VIDEOS, clip_id + '.mp4')), path)


def _build(video_root: str,
           out_dir: str,
           *options: str,
           check: bool = True) -> subprocess.CompletedProcess:
    return run_tool([sys.executable, TOOL, video_root, out_dir, *options],
                    check=check)


def _decode(path: str) -> np.ndarray:
    """The clip's sound as mono float32 at 16 kHz, decoded here with PyAV."""
    resampler = av.AudioResampler(format='flt', layout='mono', rate=16000)
    samples: List[np.ndarray] = []
    with av.open(path) as container:
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                samples.append(out.to_ndarray().reshape(-1))
    for out in resampler.resample(None):
        samples.append(out.to_ndarray().reshape(-1))
    return np.concatenate(samples)


def _files(root: str) -> List[str]:
    """Every file under ``root``, relative to it."""
    return sorted(
        osp.relpath(osp.join(dirpath, name), root)
        for dirpath, _, names in os.walk(root) for name in names)


def _write_video(path: str, audio_layout: str = '') -> None:
    """A tiny MPEG-4 video; with ``audio_layout``, a silent AAC track."""
    with av.open(path, 'w') as container:
        video = container.add_stream('mpeg4', rate=25)
        video.width = video.height = 32
        video.pix_fmt = 'yuv420p'
        audio = None
        if audio_layout:
            audio = container.add_stream(
                'aac', rate=44100, layout=audio_layout)
        black = np.zeros((32, 32, 3), np.uint8)
        for _ in range(10):
            container.mux(
                video.encode(av.VideoFrame.from_ndarray(black, 'rgb24')))
        container.mux(video.encode())
        if audio is not None:
            channels = 2 if audio_layout == 'stereo' else 1
            frame = av.AudioFrame.from_ndarray(
                np.zeros((channels, 22050), np.float32),
                format='fltp',
                layout=audio_layout)
            frame.sample_rate = 44100
            container.mux(audio.encode(frame))
            container.mux(audio.encode(None))


@pytest.fixture(scope='module')
def video_root(tmp_path_factory) -> str:
    root = str(tmp_path_factory.mktemp('grid_videos'))
    _link_clips(root, CLIPS)
    return root


@pytest.fixture(scope='module')
def reference(video_root, tmp_path_factory) -> Dict[str, np.ndarray]:
    """The features of all clips from one run with the default options."""
    out_dir = str(tmp_path_factory.mktemp('features'))
    proc = _build(video_root, out_dir)
    assert 'written 4, skipped 0 (already done), failed 0' in proc.stdout
    assert _files(out_dir) == sorted(
        osp.splitext(relpath)[0] + '.npy' for relpath in CLIPS)
    return {relpath: np.load(_npy_path(out_dir, relpath)) for relpath in CLIPS}


def test_features_are_librosa_log_mel(video_root, reference):
    for relpath, feat in reference.items():
        audio = _decode(osp.join(video_root, relpath))
        assert feat.dtype == np.float32
        # center=True: one frame per hop, plus one
        assert feat.shape == (1 + len(audio) // HOP, N_MELS), relpath
        assert np.isfinite(feat).all()
        mel = librosa.feature.melspectrogram(
            y=audio,
            sr=16000,
            n_fft=512,
            win_length=400,
            hop_length=HOP,
            n_mels=N_MELS,
            fmin=0,
            fmax=8000,
            power=2.0,
            center=True,
            htk=False,
            norm='slaney')
        np.testing.assert_allclose(
            feat, np.log(mel + 1e-6).T, rtol=1e-5, atol=1e-4)
        # speech, not silence: the loudest bands are far above the floor
        assert feat.max() > np.log(1e-6) + 10


def test_workers_give_the_same_features(video_root, reference, tmp_path):
    out_dir = str(tmp_path / 'features')
    _build(video_root, out_dir, '--workers', '2')
    for relpath, feat in reference.items():
        np.testing.assert_array_equal(
            np.load(_npy_path(out_dir, relpath)), feat)


def test_list_selects_videos(video_root, reference, tmp_path):
    listed = ['bbaf3s.mp4', 'spk/deep/bbas3a.mp4']
    ann_file = tmp_path / 'list.txt'
    ann_file.write_text(''.join(f'{relpath} {label}\n'
                                for label, relpath in enumerate(listed)))
    out_dir = str(tmp_path / 'features')
    proc = _build(video_root, out_dir, '--list', str(ann_file))
    assert 'written 2, skipped 0' in proc.stdout
    assert _files(out_dir) == ['bbaf3s.npy', 'spk/deep/bbas3a.npy']
    for relpath in listed:
        np.testing.assert_array_equal(
            np.load(_npy_path(out_dir, relpath)), reference[relpath])


def test_resume_keeps_valid_and_redoes_broken(video_root, reference, tmp_path):
    out_dir = str(tmp_path / 'features')
    valid = _npy_path(out_dir, 'bbaf2n.mp4')
    broken = _npy_path(out_dir, 'spk/bbaf4p.mp4')
    not_finite = _npy_path(out_dir, 'bbaf3s.mp4')
    dead = subprocess.Popen([sys.executable, '-c', 'pass'])
    dead.wait()
    stale = f'{broken}.tmp-{dead.pid}'
    os.makedirs(osp.dirname(broken))
    nan = reference['bbaf3s.mp4'].copy()
    nan[0, 0] = np.nan
    np.save(not_finite, nan)
    np.save(valid, reference['bbaf2n.mp4'])
    os.utime(valid, (1e9, 1e9))  # an old mtime, so any rewrite shows
    with open(valid, 'rb') as f:
        content = f.read()
    with open(broken, 'wb') as f:  # a file cut short by a killed writer
        f.write(content[:len(content) // 2])
    with open(stale, 'wb') as f:
        f.write(content[:100])

    proc = _build(video_root, out_dir)
    assert 'written 3, skipped 1 (already done), failed 0' in proc.stdout
    assert 'stale temporary files removed: 1' in proc.stdout
    assert os.stat(valid).st_mtime == 1e9
    np.testing.assert_array_equal(np.load(broken), reference['spk/bbaf4p.mp4'])
    np.testing.assert_array_equal(np.load(not_finite), reference['bbaf3s.mp4'])
    assert not [name for name in _files(out_dir) if '.tmp-' in name]
    assert _files(out_dir) == sorted(
        osp.splitext(relpath)[0] + '.npy' for relpath in CLIPS)


def test_bad_videos_are_reported_and_others_written(tmp_path):
    root, out_dir = str(tmp_path / 'videos'), str(tmp_path / 'features')
    _link_clips(root, {'bbaf2n.mp4': 'bbaf2n', 'spk/bbaf4p.mp4': 'bbaf4p'})
    corrupt = osp.join(root, 'spk', 'x.mp4')
    with open(corrupt, 'wb') as f:
        f.write(np.random.default_rng(0).bytes(4096))
    no_audio = osp.join(root, 'no_audio.mp4')
    _write_video(no_audio)
    _write_video(osp.join(root, 'silent.mp4'), audio_layout='stereo')

    proc = _build(root, out_dir, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f'FAILED {corrupt}: InvalidDataError' in proc.stdout
    assert f'FAILED {no_audio}: ValueError: no audio stream' in proc.stdout
    assert 'written 3, skipped 0 (already done), failed 2' in proc.stdout
    assert _files(out_dir) == ['bbaf2n.npy', 'silent.npy', 'spk/bbaf4p.npy']
    # a silent track (here stereo at 44.1 kHz) gives the finite floor value
    silent = np.load(osp.join(out_dir, 'silent.npy'))
    assert silent.shape[1] == N_MELS and silent.shape[0] > 1
    np.testing.assert_allclose(silent, np.log(np.float32(1e-6)), atol=1e-3)
