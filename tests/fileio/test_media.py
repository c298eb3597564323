# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.fileio.media: PyAV decoding and atomic clip writing."""
import os
from fractions import Fraction

import av
import numpy as np
import pytest

from mmxkd.fileio.media import (ClipWriter, Sound, decode_sound, decode_video,
                                frame_span, probe_video, write_clip)

FPS, RATE = 10, 16000


def _clip(path, frames=12, sound=True):
    video = np.zeros((frames, 24, 33, 3), np.uint8)  # odd width: rounded
    video += np.arange(frames, dtype=np.uint8)[:, None, None, None] * 20
    tone = 0.2 * np.sin(np.arange(frames * RATE // FPS) / 7)
    write_clip(
        str(path),
        list(video),
        FPS,
        'mpeg4',
        tone.astype(np.float32) if sound else None,
        RATE if sound else None,
        bit_rate=400_000)


def test_write_then_decode(tmp_path):
    path = tmp_path / 'clip.mp4'
    _clip(path)
    assert os.listdir(tmp_path) == ['clip.mp4']
    info = probe_video(str(path))
    assert info.fps == FPS and info.size == (32, 24)
    frames = list(decode_video(str(path), info.fps, info.start))
    assert [index for index, _ in frames] == list(range(12))
    sound = decode_sound(str(path))
    assert sound.rate == RATE and sound.samples.dtype == np.float32
    assert abs(len(sound.samples) / RATE - 1.2) < 0.07
    assert abs(np.abs(sound.samples).max() - 0.2) < 0.05
    resampled = decode_sound(str(path), rate=8000)
    assert resampled.rate == 8000
    assert abs(len(resampled.samples) - len(sound.samples) / 2) < 200


def test_no_sound(tmp_path):
    path = str(tmp_path / 'silent.mp4')
    _clip(path, sound=False)
    with av.open(path) as container:
        assert not container.streams.audio
    with pytest.raises(ValueError, match='no audio stream'):
        decode_sound(path)
    assert decode_sound(path, missing_ok=True) is None


def test_writer_drops_the_clip_on_error_or_abort(tmp_path):
    path = str(tmp_path / 'clip.mp4')
    with pytest.raises(RuntimeError):
        with ClipWriter(path, FPS, (32, 24), 'mpeg4') as writer:
            writer.add_frame(np.zeros((24, 32, 3), np.uint8))
            raise RuntimeError
    writer = ClipWriter(path, FPS, (32, 24), 'mpeg4', sample_rate=RATE)
    writer.add_frame(np.zeros((24, 32, 3), np.uint8))
    writer.add_sound(np.zeros(RATE // FPS, np.float32))
    assert (writer.frames, writer.samples) == (1, RATE // FPS)
    writer.close(keep=False)
    assert os.listdir(tmp_path) == []


def test_sound_between_pads_with_silence():
    sound = Sound(np.arange(1, 6, dtype=np.float32), RATE, 0.0)
    assert sound.between(-2, 2).tolist() == [0, 0, 1, 2]
    assert sound.between(3, 8).tolist() == [4, 5, 0, 0, 0]
    assert sound.between(4, 2).tolist() == []


def test_frame_span_nearest_boundaries():
    """ActivityNet's rule: rounded times, clamped, possibly empty."""
    fps = Fraction(10)
    assert frame_span(0.5, 2.0, fps, 30) == (5, 20)
    assert frame_span(2.0, 5.0, fps, 30) == (20, 30)  # past the end
    assert frame_span(3.5, 4.0, fps, 30) == (30, 30)  # after the end: empty
    assert frame_span(-1.0, 0.04, fps, 30) == (0, 0)
    assert frame_span(1.0, 1.2, fps, 30, min_frames=5) == (9, 14)
