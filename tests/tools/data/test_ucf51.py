# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/data/ucf51/prepare_ucf51.py on a tiny generated UCF101."""
import json
import os
import os.path as osp
import shutil
import sys
from typing import Dict, List, Tuple

import av
import numpy as np
import pytest

from ...conftest import run_tool

pytestmark = pytest.mark.integration

TOOL = 'tools/data/ucf51/prepare_ucf51.py'
CLASSES = ('ApplyEyeMakeup', 'Basketball', 'Drumming')
# (class, group, clip) -> has sound. Group 1 is the test split, group 2 the
# training split. ApplyEyeMakeup: 3 of 4 with sound (kept, one dropped);
# Basketball: 1 of 4 (left out); Drumming: all (kept).
SILENT = {('ApplyEyeMakeup', 2, 2), ('Basketball', 1, 2),
          ('Basketball', 2, 1), ('Basketball', 2, 2)}


def video_name(class_name: str, group: int, clip: int) -> str:
    return f'{class_name}/v_{class_name}_g{group:02d}_c{clip:02d}.avi'


VIDEOS = [
    video_name(c, g, k) for c in CLASSES for g in (1, 2) for k in (1, 2)
]


def has_sound(video: str) -> bool:
    class_name, group, clip = osp.basename(video)[2:-4].split('_')
    return (class_name, int(group[1:]), int(clip[1:])) not in SILENT


def write_video(path: str, sound: bool) -> None:
    """8 frames of 32x32 MPEG-4 in AVI, with an MP3 track if ``sound``."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    with av.open(path, 'w', format='avi') as out:
        video = out.add_stream('mpeg4', rate=25)
        video.width, video.height, video.pix_fmt = 32, 32, 'yuv420p'
        audio = out.add_stream('libmp3lame', rate=16000) if sound else None
        if audio:
            audio.layout = 'mono'
        for i in range(8):
            frame = av.VideoFrame.from_ndarray(
                np.full((32, 32, 3), 30 * i, np.uint8), format='rgb24')
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if audio:
            samples = 0.1 * np.sin(np.arange(5120, dtype=np.float32) / 5)
            chunk = av.AudioFrame.from_ndarray(
                samples[None], format='fltp', layout='mono')
            chunk.sample_rate, chunk.pts = 16000, 0
            out.mux(audio.encode(chunk))
            out.mux(audio.encode(None))


def write_splits(folder: str, videos: List[str] = VIDEOS) -> None:
    """classInd.txt, trainlist01.txt and testlist01.txt, with the Windows
    line ends of the official files."""
    os.makedirs(folder, exist_ok=True)

    def write(name, lines):
        with open(osp.join(folder, name), 'w', newline='') as f:
            f.write(''.join(line + '\r\n' for line in lines))

    write('classInd.txt', [f'{i + 1} {c}' for i, c in enumerate(CLASSES)])
    write('trainlist01.txt', [
        f'{v} {CLASSES.index(v.split("/")[0]) + 1}' for v in videos
        if '_g02_' in v
    ])
    write('testlist01.txt', [v for v in videos if '_g01_' in v])


@pytest.fixture(scope='module')
def ucf101(tmp_path_factory) -> Tuple[str, str]:
    """A fake UCF101_ROOT with 12 videos and its ucfTrainTestlist parent."""
    tmp = tmp_path_factory.mktemp('ucf101')
    root = str(tmp / 'UCF-101')
    for v in VIDEOS:
        write_video(osp.join(root, v), sound=has_sound(v))
    write_splits(str(tmp / 'splits' / 'ucfTrainTestlist'))
    return root, str(tmp / 'splits')


def copy_root(root: str, dest: str) -> str:
    """A copy of the fake UCF101_ROOT whose videos can be changed."""
    shutil.copytree(root, dest)
    return dest


def prepare(root: str, splits: str, out_dir: str, *options: str,
            check: bool = True):
    return run_tool([sys.executable, TOOL, root, splits, out_dir, *options],
                    check=check)


def read_list(path: str) -> List[Tuple[str, int]]:
    with open(path) as f:
        return [(p, int(label)) for p, label in map(str.split, f)]


def read_lines(path: str) -> List[str]:
    with open(path) as f:
        return f.read().splitlines()


def outputs(out_dir: str) -> Dict[str, list]:
    return {
        'classes': read_lines(osp.join(out_dir, 'classes.txt')),
        'train': read_list(osp.join(out_dir,
                                    'ucf51_train_split_1_videos.txt')),
        'val': read_list(osp.join(out_dir, 'ucf51_val_split_1_videos.txt')),
    }


def test_keeps_classes_and_videos_with_sound(ucf101, tmp_path):
    root, splits = ucf101
    out_dir = str(tmp_path / 'out')
    proc = prepare(root, splits, out_dir, '--workers', '2')
    assert outputs(out_dir) == {
        'classes': ['ApplyEyeMakeup', 'Drumming'],
        'train': [
            (video_name('ApplyEyeMakeup', 2, 1), 0),
            (video_name('Drumming', 2, 1), 1),
            (video_name('Drumming', 2, 2), 1),
        ],
        'val': [
            (video_name('ApplyEyeMakeup', 1, 1), 0),
            (video_name('ApplyEyeMakeup', 1, 2), 0),
            (video_name('Drumming', 1, 1), 1),
            (video_name('Drumming', 1, 2), 1),
        ],
    }
    for entries in (outputs(out_dir)['train'], outputs(out_dir)['val']):
        assert all(osp.isfile(osp.join(root, p)) for p, _ in entries)
    assert '2 of 3 classes have sound; without: Basketball' in proc.stdout
    assert 'dropped 1 video(s) without sound' in proc.stdout
    assert '3 train, 4 test (val) videos, 2 classes' in proc.stdout
    # the default --expect-classes is the paper's 51
    assert 'warning: 2 classes have sound, expected 51' in proc.stderr
    with open(osp.join(out_dir, 'sound_check.json')) as f:
        cache = json.load(f)['videos']
    assert {v: c['audio'] for v, c in cache.items()} == {
        v: has_sound(v)
        for v in VIDEOS
    }
    assert not [f for f in os.listdir(out_dir) if 'tmp' in f]


def test_rerun_uses_the_cache(ucf101, tmp_path):
    root, splits = ucf101
    root = copy_root(root, str(tmp_path / 'UCF-101'))
    # the ucfTrainTestlist folder itself works as SPLITS_DIR too
    splits = osp.join(splits, 'ucfTrainTestlist')
    out_dir = str(tmp_path / 'out')
    prepare(root, splits, out_dir, '--expect-classes', '2')
    cache = osp.join(out_dir, 'sound_check.json')
    first = outputs(out_dir)
    mtime = os.stat(cache).st_mtime_ns

    proc = prepare(root, splits, out_dir, '--expect-classes', '2')
    assert 'sound check: 0 opened, 12 cached, 0 unreadable' in proc.stdout
    assert proc.stderr == ''  # the expected number of classes: no warning
    assert os.stat(cache).st_mtime_ns == mtime
    assert outputs(out_dir) == first

    # a changed video is opened again: Basketball gains a second sound clip,
    # which is not a majority of 4
    write_video(osp.join(root, video_name('Basketball', 2, 1)), sound=True)
    proc = prepare(root, splits, out_dir, '--expect-classes', '2')
    assert 'sound check: 1 opened, 11 cached, 0 unreadable' in proc.stdout
    assert outputs(out_dir) == first
    with open(cache) as f:
        assert json.load(f)['videos'][video_name('Basketball', 2,
                                                 1)]['audio'] is True
    # ... and with a third one Basketball has sound (3 of 4)
    write_video(osp.join(root, video_name('Basketball', 2, 2)), sound=True)
    proc = prepare(root, splits, out_dir, '--expect-classes', '2',
                   '--workers', '2')
    assert 'sound check: 1 opened, 11 cached' in proc.stdout
    assert 'warning: 3 classes have sound, expected 2' in proc.stderr
    assert outputs(out_dir)['classes'] == list(CLASSES)
    assert (video_name('Drumming', 2, 1), 2) in outputs(out_dir)['train']


def test_missing_videos_are_all_named(ucf101, tmp_path):
    root, splits = ucf101
    root = copy_root(root, str(tmp_path / 'UCF-101'))
    gone = [video_name('Drumming', 2, 2), video_name('Basketball', 1, 1)]
    for v in gone:
        os.remove(osp.join(root, v))
    out_dir = str(tmp_path / 'out')
    proc = prepare(root, splits, out_dir, check=False)
    assert proc.returncode != 0 and 'Traceback' not in proc.stderr
    assert '2 of the 12 videos listed in the split files are missing' in (
        proc.stderr)
    assert f'{osp.join(root, gone[0])} (trainlist01.txt:' in proc.stderr
    assert f'{osp.join(root, gone[1])} (testlist01.txt:' in proc.stderr
    assert not osp.exists(osp.join(out_dir, 'classes.txt'))

    # the parent of the class folders: all missing, with a hint
    proc = prepare(str(tmp_path), splits, out_dir, check=False)
    assert proc.returncode != 0
    assert f'folder of the class folders: {root}?' in proc.stderr


def test_unreadable_video_counts_as_silent(ucf101, tmp_path):
    root, splits = ucf101
    root = copy_root(root, str(tmp_path / 'UCF-101'))
    broken = osp.join(root, video_name('Drumming', 1, 2))
    with open(broken, 'wb') as f:
        f.write(b'not a video' * 100)
    out_dir = str(tmp_path / 'out')
    proc = prepare(root, splits, out_dir)
    assert '1 video(s) could not be opened' in proc.stderr
    assert broken in proc.stderr
    assert 'dropped 2 video(s) without sound' in proc.stdout
    assert (video_name('Drumming', 1, 2), 1) not in outputs(out_dir)['val']
    with open(osp.join(out_dir, 'sound_check.json')) as f:
        assert video_name('Drumming', 1, 2) not in json.load(f)['videos']


def test_wrong_label_names_the_line(ucf101, tmp_path):
    root, splits = ucf101
    splits_dir = str(tmp_path / 'ucfTrainTestlist')
    shutil.copytree(osp.join(splits, 'ucfTrainTestlist'), splits_dir)
    train = osp.join(splits_dir, 'trainlist01.txt')
    with open(train) as f:
        lines = f.read().splitlines()
    lines[1] = lines[1].rsplit(' ', 1)[0] + ' 3'
    with open(train, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    proc = prepare(root, splits_dir, str(tmp_path / 'out'), check=False)
    assert proc.returncode != 0 and 'Traceback' not in proc.stderr
    assert f'{train}:2: label 3 of' in proc.stderr
