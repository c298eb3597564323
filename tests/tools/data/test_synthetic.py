# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/data/synthetic/generate_synthetic_av.py
(loaded by its path): the full-frame design unchanged and
the scene design (the class's tinted square in one quadrant, grey
distractors in the others)."""
import hashlib
import os.path as osp

import numpy as np
import pytest

from ._scripts import load_script

synthetic = load_script('tools/data/synthetic/generate_synthetic_av.py')
CLASSES, DIRECTIONS = synthetic.CLASSES, synthetic.DIRECTIONS
render_frames, render_scene = synthetic.render_frames, synthetic.render_scene
square_path = synthetic.square_path


def chroma(video: np.ndarray) -> np.ndarray:
    """Red against green and blue, the event's tint: (T, H, W)."""
    video = video.astype(np.float64)
    return video[..., 0] - (video[..., 1] + video[..., 2]) / 2


def quadrant_view(video: np.ndarray, quadrant: int) -> np.ndarray:
    """The frames of one quadrant (row-major, top left first)."""
    half = video.shape[1] // 2
    y, x = quadrant // 2 * half, quadrant % 2 * half
    return video[:, y:y + half, x:x + half]


def test_full_frame_design_is_unchanged():
    # the frames of the design the tests and the earlier demo use
    frames = render_frames(2, 16, 64, 25.0, np.random.default_rng(0))
    assert frames.shape == (16, 64, 64, 3) and frames.dtype == np.uint8
    assert hashlib.md5(frames.tobytes()).hexdigest() == (
        '3fe67f4f99aeb3c1b8ab930492961fdb')
    assert synthetic.parse_args(['out']).design == 'full-frame'


@pytest.mark.parametrize('label', range(len(CLASSES)))
def test_square_path_moves_in_the_class_direction(label):
    path = square_path(DIRECTIONS[label], 32, 8, 16, np.random.default_rng(1))
    assert path.shape == (16, 2)
    assert path.min() >= 0 and path.max() <= 32 - 8
    step = np.sign(path[-1] - path[0])
    assert tuple(step) == DIRECTIONS[label]


@pytest.mark.parametrize('label', range(len(CLASSES)))
def test_scene_puts_the_tinted_square_in_one_quadrant(label):
    rng = np.random.default_rng(label)
    video, event = render_scene(label, 16, 64, 100.0, rng)
    assert video.shape == (16, 64, 64, 3) and 0 <= event < 4
    # the tint shows in the event quadrant only (chroma 150 there, noise
    # elsewhere with std ~37); distractors are grey
    tinted = [(np.abs(chroma(quadrant_view(video, q))) > 100).sum()
              for q in range(4)]
    assert int(np.argmax(tinted)) == event
    assert tinted[event] > 4 * max(tinted[q] for q in range(4) if q != event)
    # the tinted square's centre moves in the class's direction
    square = np.abs(chroma(quadrant_view(video, event))) > 100
    centres = [np.argwhere(frame).mean(0)[::-1] for frame in square]
    shift = centres[-1] - centres[0]
    along = float(np.dot(shift, DIRECTIONS[label]))
    assert along > 8 and np.abs(shift).sum() - along < along / 2
    # each other quadrant holds a grey square (brightness, no tint)
    for q in set(range(4)) - {event}:
        frames = quadrant_view(video, q).astype(np.float64).mean(-1)
        assert (np.abs(frames - np.median(frames)) > 60).sum() > 500


def test_scene_design_writes_quadrant_lists(tmp_path):
    out = str(tmp_path / 'scenes')
    synthetic.main([
        out, '--design', 'scenes', '--num-train', '8', '--num-val', '4',
        '--noise-ratio', '0.5'
    ])
    for split, num in (('train', 8), ('val', 4)):
        with open(osp.join(out, f'quadrants_{split}.txt')) as f:
            rows = [line.split() for line in f if line.strip()]
        with open(osp.join(out, f'{split}.txt')) as f:
            videos = [line.split()[0] for line in f if line.strip()]
        assert [row[0] for row in rows] == videos and len(videos) == num
        assert all(0 <= int(row[1]) < 4 for row in rows)
        assert all(osp.isfile(osp.join(out, 'videos', v)) for v in videos)
    with open(osp.join(out, 'noisy_train.txt')) as f:
        assert len([line for line in f if line.strip()]) == 4


def test_full_frame_design_writes_no_quadrant_list(tmp_path):
    out = str(tmp_path / 'full')
    synthetic.main([out, '--num-train', '4', '--num-val', '1'])
    assert osp.isfile(osp.join(out, 'train.txt'))
    assert not osp.exists(osp.join(out, 'quadrants_train.txt'))


@pytest.mark.parametrize('argv', [
    ['out', '--design', 'scenes', '--size', '8'],
    ['out', '--design', 'quadrants'],
])
def test_bad_design_arguments(argv, capsys):
    with pytest.raises(SystemExit):
        synthetic.parse_args(argv)
    assert '--design' in capsys.readouterr().err
