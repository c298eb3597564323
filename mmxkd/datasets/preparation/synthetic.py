# Copyright (c) mmxkd contributors. All rights reserved.
"""Generate a small audio-visual dataset for CPU runs and tests (no download).

Each clip is a real ``.mp4`` (MPEG-4 video at 8 fps, AAC sound at 16 kHz
mono). Both modalities tell the class: a faint square moves in one of four
directions over a noisy background, and the sound track plays the class's
tone (a pitch with a class-specific tremolo rate) over noise. A fraction
``--noise-ratio`` of the training clips carries "modality noise", the case
MNF is built for: half of them play another class's tone (mismatched sound),
half a tone of no class (irrelevant sound). Validation clips are clean.

Layout written under OUT_DIR::

    videos/{train,val}/clip_<5-digit index>.mp4
    train.txt, val.txt        # "<video> <label>" (MMAction2's list format)
    noisy_train.txt           # "<video> mismatched|irrelevant"
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


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse and check the command line (``sys.argv[1:]`` by default)."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out_dir', nargs='?', default='data/synthetic_av')
    parser.add_argument('--num-train', type=int, default=160)
    parser.add_argument('--num-val', type=int, default=64)
    parser.add_argument('--frames', type=int, default=16)
    parser.add_argument('--size', type=int, default=64)
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
    return args


def render_frames(label: int, frames: int, size: int, contrast: float,
                  rng: np.random.Generator) -> np.ndarray:
    """(frames, size, size, 3) uint8 RGB frames: a faint moving square."""
    side = max(size // 6, 2)
    dx, dy = DIRECTIONS[label]
    travel = size - side
    start = rng.integers(0, travel + 1, size=2)
    if dx:  # the moving coordinate starts at the side it moves away from
        start[0] = 0 if dx > 0 else travel
    if dy:
        start[1] = 0 if dy > 0 else travel
    speed = travel / max(frames - 1, 1) * rng.uniform(0.5, 1.0)
    background = rng.uniform(90, 150)
    video = rng.normal(background, 30, size=(frames, size, size, 3))
    sign = rng.choice((-1, 1))
    for t in range(frames):
        x = int(round(start[0] + dx * speed * t))
        y = int(round(start[1] + dy * speed * t))
        video[t, y:y + side, x:x + side] += sign * contrast
    return np.clip(video, 0, 255).astype(np.uint8)


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
                   rng: np.random.Generator) -> Tuple[list, list]:
    """Write one split; returns its list-file lines and its noisy clips."""
    mkdir_or_exist(osp.join(out_dir, 'videos', split))
    num_noisy = int(round(args.noise_ratio * num)) if split == 'train' else 0
    noisy_ids = set(rng.permutation(num)[:num_noisy].tolist())
    lines, noisy = [], []
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
    return lines, noisy


def main(argv: Optional[List[str]] = None) -> None:
    """Generate both splits and their list files."""
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)
    mkdir_or_exist(args.out_dir)
    for split, num in (('train', args.num_train), ('val', args.num_val)):
        print(f'{split}: {num} clips')
        lines, noisy = generate_split(args.out_dir, split, num, args, rng)
        write_lines(osp.join(args.out_dir, f'{split}.txt'), lines)
        if split == 'train':
            write_lines(osp.join(args.out_dir, 'noisy_train.txt'), noisy)
    write_lines(osp.join(args.out_dir, 'classes.txt'), CLASSES)
    print(f'wrote {args.num_train} + {args.num_val} clips to {args.out_dir}')
