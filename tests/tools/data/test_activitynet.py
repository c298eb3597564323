# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/data/activitynet/prepare_activitynet.py on tiny
generated videos."""
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

import av
import decord
import numpy as np
import pytest

from mmxkd.fileio import media
from ...conftest import run_tool
from ._scripts import load_script

TOOL = 'tools/data/activitynet/prepare_activitynet.py'
activitynet = load_script(TOOL)
FPS, SECONDS, RATE = 10, 3, 16000
MIN_FRAMES = 5
CLASSES = ['Archery', 'Drinking coffee', 'Surfing', 'Zumba']
DATABASE = {
    'aaa': {  # with sound
        'subset': 'training',
        'duration': 3.0,
        'annotations': [
            {'segment': [0.5, 2.0], 'label': 'Drinking coffee'},
            {'segment': [2.0, 5.0], 'label': 'Surfing'},  # past the end
            {'segment': [1.0, 1.2], 'label': 'Surfing'},  # 2 frames: short
        ]
    },
    'bbb': {  # silent
        'subset': 'training',
        'duration': 3.0,
        'annotations': [{'segment': [0.0, 1.5], 'label': 'Zumba'}]
    },
    'ccc': {  # with sound, named ccc.mkv
        'subset': 'validation',
        'duration': 3.0,
        'annotations': [{'segment': [1.0, 2.5], 'label': 'Drinking coffee'}]
    },
    'ddd': {  # no video; its label still is a class
        'subset': 'validation',
        'duration': 3.0,
        'annotations': [{'segment': [0.0, 2.0], 'label': 'Archery'}]
    },
    'eee': {'subset': 'testing', 'duration': 3.0, 'annotations': []},
}
# clip -> (list, label, first frame, number of frames, sound)
CLIPS = {
    'aaa_0.mp4': ('train', 1, 5, 15, True),
    'aaa_1.mp4': ('train', 2, 20, 10, True),
    'bbb_0.mp4': ('train', 3, 0, 15, False),
    'ccc_0.mp4': ('val', 1, 10, 15, True),
}


def grey(index: int) -> int:
    """The grey level of frame ``index`` of a generated video."""
    return 10 + 8 * index


def loudness(seconds: float) -> float:
    """The amplitude of the generated tone at a time: a ramp."""
    return 0.05 + 0.1 * seconds


def write_video(path: str, sound: bool, fmt: Optional[str] = None) -> None:
    """3 s of 32x32 H.264 at 10 fps, keyframes every 10 frames, frame i a
    flat grey(i), with a 440 Hz tone of rising loudness as AAC if ``sound``.
    """
    with av.open(path, 'w', format=fmt) as out:
        video = out.add_stream('libx264', rate=FPS)
        video.width, video.height, video.pix_fmt = 32, 32, 'yuv420p'
        video.options = {'g': '10', 'keyint_min': '10', 'sc_threshold': '0'}
        audio = out.add_stream('aac', rate=RATE) if sound else None
        if audio:
            audio.layout = 'mono'
        t = np.arange(SECONDS * RATE, dtype=np.float32) / RATE
        tone = (loudness(t) * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        for i in range(SECONDS * FPS):
            frame = av.VideoFrame.from_ndarray(
                np.full((32, 32, 3), grey(i), np.uint8), format='rgb24')
            frame.pts = i
            out.mux(video.encode(frame))
            if audio:  # interleaved, as in a real file
                chunk = av.AudioFrame.from_ndarray(
                    tone[None, i * RATE // FPS:(i + 1) * RATE // FPS],
                    format='fltp',
                    layout='mono')
                chunk.sample_rate, chunk.pts = RATE, i * RATE // FPS
                out.mux(audio.encode(chunk))
        out.mux(video.encode(None))
        if audio:
            out.mux(audio.encode(None))


@pytest.fixture(scope='module')
def source(tmp_path_factory) -> Tuple[str, str]:
    """ANNOTATION_JSON and VIDEO_ROOT (ddd and eee have no video)."""
    tmp = tmp_path_factory.mktemp('activitynet')
    root = tmp / 'videos'
    (root / 'part1').mkdir(parents=True)
    write_video(str(root / 'v_aaa.mp4'), sound=True)
    write_video(str(root / 'part1' / 'v_bbb.mp4'), sound=False)
    write_video(str(root / 'ccc.mkv'), sound=True, fmt='matroska')
    (root / 'v_ddd.mp4.part').write_bytes(b'an unfinished download')
    annotation = tmp / 'activity_net.v1-3.min.json'
    annotation.write_text(
        json.dumps({
            'version': 'VERSION 1.3',
            'taxonomy': [],
            'database': DATABASE
        }))
    return str(annotation), str(root)


def prepare(annotation: str, root: str, out_dir: str, *options: str,
            check: bool = True):
    return run_tool(
        [sys.executable, TOOL, annotation, root, out_dir, *options],
        check=check)


@pytest.fixture(scope='module')
def prepared(source, tmp_path_factory) -> Tuple[str, object]:
    """OUT_DIR and the finished process of a run with two workers."""
    out_dir = str(tmp_path_factory.mktemp('activitynet_out') / 'out')
    proc = prepare(*source, out_dir, '--workers', '2', '--min-frames',
                   str(MIN_FRAMES))
    return out_dir, proc


def read_lines(path: str) -> List[str]:
    with open(path) as f:
        return f.read().splitlines()


def lists(out_dir: str) -> Dict[str, List[Tuple[str, int]]]:
    return {
        split: [(p, int(label)) for p, label in map(
            str.split,
            read_lines(
                osp.join(out_dir, f'activitynet_{split}_segments.txt')))]
        for split in ('train', 'val')
    }


@pytest.mark.integration
def test_segments_become_labelled_clips(prepared):
    out_dir, proc = prepared
    assert read_lines(osp.join(out_dir, 'classes.txt')) == CLASSES
    assert lists(out_dir) == {
        split: [(clip, c[1]) for clip, c in CLIPS.items() if c[0] == split]
        for split in ('train', 'val')
    }
    assert sorted(os.listdir(osp.join(out_dir, 'clips'))) == sorted(CLIPS)
    assert 'clips: 4 written, 0 already there' in proc.stdout
    assert '3 train and 1 val segments, 4 classes' in proc.stdout


@pytest.mark.integration
def test_clips_hold_their_segment(prepared):
    out_dir, _ = prepared
    for clip, (_, _, first, frames, sound) in CLIPS.items():
        path = osp.join(out_dir, 'clips', clip)
        reader = decord.VideoReader(path)
        assert len(reader) == frames, clip
        assert reader.get_avg_fps() == pytest.approx(FPS)
        greys = reader.get_batch([0, frames - 1]).asnumpy().mean(axis=(1, 2,
                                                                       3))
        assert greys == pytest.approx(
            [grey(first), grey(first + frames - 1)], abs=3), clip
        with av.open(path) as container:
            assert len(container.streams.audio) == int(sound), clip
            if not sound:
                continue
            stream = container.streams.audio[0]
            assert stream.channels == 1 and stream.rate == RATE
            samples = np.concatenate([
                f.to_ndarray().reshape(-1)
                for f in container.decode(stream)
            ])
        seconds = len(samples) / RATE
        assert seconds == pytest.approx(frames / FPS, abs=0.07), clip
        # the loudness of the tone tells where in the source the sound is
        # from: mean |sin| = 2 / pi
        start = first / FPS
        head = np.abs(samples[RATE // 20:RATE // 5]).mean() * np.pi / 2
        assert head == pytest.approx(loudness(start + 0.125), rel=0.15), clip


@pytest.mark.integration
def test_short_missing_and_testing_videos_are_reported(prepared):
    out_dir, proc = prepared
    assert 'skipped 1 segment(s) shorter than 5 frames' in proc.stdout
    assert 'aaa_2 (2 frames)' in proc.stdout
    assert 'skipped 1 of 4 videos that are not in' in proc.stderr
    assert 'ddd' in proc.stderr and 'eee' not in proc.stderr
    assert read_lines(osp.join(out_dir, 'missing_videos.txt')) == ['ddd']
    assert not [
        f for f in os.listdir(osp.join(out_dir, 'clips')) if 'tmp' in f
    ]


@pytest.mark.integration
def test_rerun_keeps_existing_clips(source, prepared):
    out_dir, _ = prepared
    clip_dir = osp.join(out_dir, 'clips')
    before = lists(out_dir)
    mtimes = {
        f: os.stat(osp.join(clip_dir, f)).st_mtime_ns
        for f in os.listdir(clip_dir)
    }
    # what a killed run leaves behind is cleaned up
    open(osp.join(clip_dir, 'aaa_2.mp4.tmp-123'), 'w').close()
    proc = prepare(*source, out_dir, '--min-frames', str(MIN_FRAMES))
    assert 'clips: 0 written, 4 already there' in proc.stdout
    assert {
        f: os.stat(osp.join(clip_dir, f)).st_mtime_ns
        for f in os.listdir(clip_dir)
    } == mtimes
    assert lists(out_dir) == before


@pytest.mark.integration
def test_no_video_at_all_fails(source, tmp_path):
    annotation, _ = source
    (tmp_path / 'empty').mkdir()
    proc = prepare(
        annotation,
        str(tmp_path / 'empty'),
        str(tmp_path / 'out'),
        check=False)
    assert proc.returncode != 0 and 'Traceback' not in proc.stderr
    assert 'none of the 4 training and validation videos' in proc.stderr


@pytest.mark.integration
def test_bad_annotation_names_the_video(source, tmp_path):
    _, root = source
    annotation = tmp_path / 'bad.json'
    annotation.write_text(
        json.dumps({
            'database': {
                'aaa': {
                    'subset': 'training',
                    'annotations': [{
                        'segment': [1.0],
                        'label': 'Surfing'
                    }]
                }
            }
        }))
    proc = prepare(str(annotation), root, str(tmp_path / 'out'), check=False)
    assert proc.returncode != 0 and 'Traceback' not in proc.stderr
    assert f'{annotation}: video aaa: annotation 0' in proc.stderr


@pytest.mark.parametrize('margin, decoded_from', [(0.2, 10), (-1.0, 0)])
def test_seeking_gives_the_same_frames(source, tmp_path, monkeypatch, margin,
                                       decoded_from):
    """Frame 15 (1.5 s) is the first needed. Seeking to 1.3 s lands on the
    keyframe 10 before it; seeking to 2.5 s lands on keyframe 20, after it,
    where the tool decodes from the start instead."""
    _, root = source
    monkeypatch.setattr(media, 'SEEK_AFTER', 0.0)
    monkeypatch.setattr(media, 'SEEK_MARGIN', margin)
    decode_video, heads = activitynet.decode_video, []

    def spy(*args):
        for i, (index, frame) in enumerate(decode_video(*args)):
            if i == 0:
                heads.append(index)
            yield index, frame

    monkeypatch.setattr(activitynet, 'decode_video', spy)
    path = str(tmp_path / 'aaa_0.mp4')
    segment = activitynet.Segment(0, 1.5, 2.8, 'Surfing')
    job = activitynet.Job('aaa', osp.join(root, 'v_aaa.mp4'), 3.0,
                          [(path, segment)])
    result = activitynet.cut_video(job, min_frames=1, codec='libx264')
    assert result == activitynet.Result('aaa', 1, [], None)
    assert heads == [decoded_from]
    reader = decord.VideoReader(path)
    assert len(reader) == 13
    greys = reader.get_batch(list(range(13))).asnumpy().mean(axis=(1, 2, 3))
    assert greys == pytest.approx([grey(i) for i in range(15, 28)], abs=3)
