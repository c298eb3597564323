# Copyright (c) mmxkd contributors. All rights reserved.
"""Generate a small audio-visual dataset for CPU runs and tests (no download).

Each clip is a real ``.mp4`` (MPEG-4 video at 8 fps, AAC sound at 16 kHz
mono). Both modalities tell the class: a faint square moves in one of four
directions over a noisy background, and the sound track plays the class's
tone (a pitch with a class-specific tremolo rate) over noise. A fraction
``--noise-ratio`` of the training clips carries "modality noise", the case
MNF is built for: half of them play another class's tone (mismatched sound),
half a tone of no class (irrelevant sound). Validation clips are clean.

Two designs of the frames (``--design``):

* ``full-frame`` (default): the square moves over the whole frame.
* ``scenes``: the frame is a 2x2 grid of quadrants. The class's square,
  tinted (red against green and blue, :data:`EVENT_TINT`), moves in one
  quadrant, drawn per clip; each of the other three quadrants holds a grey
  square (all channels alike, :data:`DISTRACTOR_TINT`) moving in a random
  direction, which carries no class. So the class is in a quarter of the
  frame, and a model must find the tinted square among moving ones: the
  video evidence sits in some tokens of a student's last stage, for the
  MNF's attention to select.

Layout written under OUT_DIR::

    videos/{train,val}/clip_<5-digit index>.mp4
    train.txt, val.txt        # "<video> <label>" (MMAction2's list format)
    noisy_train.txt           # "<video> mismatched|irrelevant"
    quadrants_{train,val}.txt # scenes only: "<video> <event quadrant 0-3>"
    classes.txt

Files are written atomically and existing ones are kept, so an interrupted
run can simply be started again; the same seed gives the same data.
"""
import argparse
import os.path as osp
from typing import List, Optional, Tuple

import numpy as np
from mmengine.utils import mkdir_or_exist

from mmxkd.fileio import write_lines
from mmxkd.fileio.media import write_clip
from mmxkd.utils.parallel import progress_bar

CLASSES = ('right_low', 'left_mid', 'down_high', 'up_top')
DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1))
PITCHES = (330.0, 523.0, 784.0, 1175.0)  # Hz
TREMOLO = (2.0, 3.0, 5.0, 7.0)  # Hz
FPS = 8
SAMPLE_RATE = 16000
DESIGNS = ('full-frame', 'scenes')
# scenes: the class square's tint (per RGB channel, times the contrast) and
# the distractors' (grey)
EVENT_TINT = (1.0, -1.0, -1.0)
DISTRACTOR_TINT = (1.0, 1.0, 1.0)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse and check the command line (``sys.argv[1:]`` by default)."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out_dir', nargs='?', default='data/synthetic_av')
    parser.add_argument('--num-train', type=int, default=160)
    parser.add_argument('--num-val', type=int, default=64)
    parser.add_argument('--frames', type=int, default=16)
    parser.add_argument('--size', type=int, default=64)
    parser.add_argument(
        '--design',
        choices=DESIGNS,
        default='full-frame',
        help='full-frame: one square over the whole frame; scenes: the class '
        'square in one quadrant, distractor squares in the others')
    parser.add_argument(
        '--contrast',
        type=float,
        default=25.0,
        help='brightness difference of the moving square (lower is harder)')
    parser.add_argument(
        '--noise-ratio',
        type=float,
        default=0.3,
        help='fraction of training clips with mismatched or irrelevant sound')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    if not 0 <= args.noise_ratio <= 1:
        parser.error('--noise-ratio must be in [0, 1]')
    if args.num_train < len(CLASSES) or args.num_val < 1:
        parser.error(f'--num-train must be >= {len(CLASSES)} and '
                     '--num-val >= 1')
    if args.design == 'scenes' and args.size < 16:
        parser.error('--design scenes needs --size >= 16 (4 quadrants of a '
                     'moving square)')
    return args


def square_path(direction: Tuple[int, int], width: int, side: int,
                frames: int, rng: np.random.Generator) -> np.ndarray:
    """The top-left corners of a square moving in ``direction`` in a box.

    The moving coordinate starts at the side it moves away from, the other
    one anywhere in the box; the square covers 50-100 % of the box's travel
    over the clip.

    Args:
        direction: (dx, dy), one of :data:`DIRECTIONS`.
        width: The side of the square box, in pixels.
        side: The side of the square, in pixels (< ``width``).
        frames: Number of frames T.
        rng: The random numbers.

    Returns:
        (x, y) of each frame, relative to the box.

    Shapes:
        Returns (T, 2) int.
    """
    dx, dy = direction
    travel = width - side
    start = rng.integers(0, travel + 1, size=2)
    if dx:
        start[0] = 0 if dx > 0 else travel
    if dy:
        start[1] = 0 if dy > 0 else travel
    speed = travel / max(frames - 1, 1) * rng.uniform(0.5, 1.0)
    t = np.arange(frames)
    return np.round(start + np.outer(speed * t, direction)).astype(int)


def paint_square(video: np.ndarray, path: np.ndarray, offset: Tuple[int,
                                                                   int],
                 side: int, tint: np.ndarray) -> None:
    """Add a moving square to ``video`` in place.

    Args:
        video: The frames.
        path: The square's top-left corner in each frame (see
            :func:`square_path`), relative to ``offset``.
        offset: (x, y) of the box the path is in.
        side: The square's side, in pixels.
        tint: What the square adds to each RGB channel.

    Shapes:
        video: (T, H, W, 3) float; path: (T, 2); tint: (3, ).
    """
    for t, (x, y) in enumerate(path + np.asarray(offset)):
        video[t, y:y + side, x:x + side] += tint


def render_frames(label: int, frames: int, size: int, contrast: float,
                  rng: np.random.Generator) -> np.ndarray:
    """The ``full-frame`` design: a faint square moving over the frame.

    Args:
        label: The class (its direction in :data:`DIRECTIONS`).
        frames: Number of frames T.
        size: Frame side S in pixels.
        contrast: Brightness the square adds (with a random sign).
        rng: The random numbers.

    Returns:
        uint8 RGB frames.

    Shapes:
        Returns (T, S, S, 3).
    """
    side = max(size // 6, 2)
    path = square_path(DIRECTIONS[label], size, side, frames, rng)
    background = rng.uniform(90, 150)
    video = rng.normal(background, 30, size=(frames, size, size, 3))
    sign = rng.choice((-1, 1))
    paint_square(video, path, (0, 0), side, np.full(3, sign * contrast))
    return np.clip(video, 0, 255).astype(np.uint8)


def render_scene(label: int, frames: int, size: int, contrast: float,
                 rng: np.random.Generator) -> Tuple[np.ndarray, int]:
    """The ``scenes`` design: the class's tinted square moves in one
    quadrant, a grey distractor square in a random direction in each of
    the others.

    Args:
        label: The class (the tinted square's direction in
            :data:`DIRECTIONS`).
        frames: Number of frames T.
        size: Frame side S in pixels (quadrants of ``S // 2``).
        contrast: Brightness every square adds (tinted per
            :data:`EVENT_TINT` / :data:`DISTRACTOR_TINT`, random sign).
        rng: The random numbers.

    Returns:
        uint8 RGB frames, and the class square's quadrant (0-3: row-major,
        top left first).

    Shapes:
        Returns (T, S, S, 3) and an int.
    """
    background = rng.uniform(90, 150)
    video = rng.normal(background, 30, size=(frames, size, size, 3))
    half = size // 2
    side = max(half // 3, 2)
    event = int(rng.integers(4))
    for quadrant in range(4):
        if quadrant == event:
            direction, tint = DIRECTIONS[label], EVENT_TINT
        else:
            direction = DIRECTIONS[int(rng.integers(len(DIRECTIONS)))]
            tint = DISTRACTOR_TINT
        path = square_path(direction, half, side, frames, rng)
        sign = rng.choice((-1, 1))
        paint_square(video, path, (quadrant % 2 * half, quadrant // 2 * half),
                     side, sign * contrast * np.asarray(tint))
    return np.clip(video, 0, 255).astype(np.uint8), event


def render_sound(sound: Optional[int], seconds: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Mono float32 samples: class ``sound``'s tone, or (None) a tone of no
    class, over white noise."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    if sound is None:
        pitch = rng.uniform(150, 2000)
        while min(abs(pitch / p - 1) for p in PITCHES) < 0.12:
            pitch = rng.uniform(150, 2000)
        tremolo = rng.uniform(1, 9)
    else:
        pitch = PITCHES[sound] * rng.uniform(0.97, 1.03)
        tremolo = TREMOLO[sound]
    envelope = 0.6 + 0.4 * np.sin(2 * np.pi * tremolo * t +
                                  rng.uniform(0, 2 * np.pi))
    tone = 0.3 * envelope * np.sin(2 * np.pi * pitch * t)
    return (tone + rng.normal(0, 0.05, size=t.shape)).astype(np.float32)


def generate_split(out_dir: str, split: str, num: int,
                   args: argparse.Namespace,
                   rng: np.random.Generator) -> Tuple[list, list, list]:
    """Write one split; returns its list-file lines, its noisy clips and,
    for ``--design scenes``, each clip's event quadrant
    (``<video> <quadrant>``)."""
    mkdir_or_exist(osp.join(out_dir, 'videos', split))
    num_noisy = int(round(args.noise_ratio * num)) if split == 'train' else 0
    noisy_ids = set(rng.permutation(num)[:num_noisy].tolist())
    lines, noisy, quadrants = [], [], []
    with progress_bar(num) as advance:
        for i in range(num):
            label = i % len(CLASSES)
            relpath = f'{split}/clip_{i:05d}.mp4'
            sound, kind = label, None
            if i in noisy_ids:
                if rng.random() < 0.5:
                    kind = 'mismatched'
                    sound = int(
                        rng.choice(
                            [c for c in range(len(CLASSES)) if c != label]))
                else:
                    kind, sound = 'irrelevant', None
            # draw every random number, so a resumed run writes the same data
            if args.design == 'scenes':
                frames, quadrant = render_scene(label, args.frames,
                                                args.size, args.contrast, rng)
                quadrants.append(f'{relpath} {quadrant}')
            else:
                frames = render_frames(label, args.frames, args.size,
                                       args.contrast, rng)
            samples = render_sound(sound, args.frames / FPS, rng)
            path = osp.join(out_dir, 'videos', relpath)
            if not osp.isfile(path):
                write_clip(
                    path,
                    frames,
                    FPS,
                    'mpeg4',
                    samples,
                    SAMPLE_RATE,
                    bit_rate=400_000)
            lines.append(f'{relpath} {label}')
            if kind:
                noisy.append(f'{relpath} {kind}')
            advance()
    return lines, noisy, quadrants


def main(argv: Optional[List[str]] = None) -> None:
    """Generate both splits and their list files."""
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)
    mkdir_or_exist(args.out_dir)
    for split, num in (('train', args.num_train), ('val', args.num_val)):
        print(f'{split}: {num} clips')
        lines, noisy, quadrants = generate_split(args.out_dir, split, num,
                                                 args, rng)
        write_lines(osp.join(args.out_dir, f'{split}.txt'), lines)
        if quadrants:
            write_lines(
                osp.join(args.out_dir, f'quadrants_{split}.txt'), quadrants)
        if split == 'train':
            write_lines(osp.join(args.out_dir, 'noisy_train.txt'), noisy)
    write_lines(osp.join(args.out_dir, 'classes.txt'), CLASSES)
    print(f'wrote {args.num_train} + {args.num_val} clips to {args.out_dir}')


if __name__ == '__main__':
    main()
