# Copyright (c) mmxkd contributors. All rights reserved.
"""Time the clip cache's content check: the CRC-32 that a process computes
once per entry when it first opens it, beside the entry's size and the time
to decode the video. Prints a markdown table.

Example (the GRID clips committed with the tests; a mouth crop and whole
frames)::

    python tools/analysis/benchmark_clip_cache.py tests/data/grid_s1/videos \\
        --crop 120 165 240 255 --repeats 20
"""
import argparse
import glob
import os.path as osp
import time
from typing import List, Optional, Sequence

import numpy as np

from mmxkd.datasets.transforms.clip_cache_init import (decode_clip,
                                                       frames_crc32)


def median_seconds(func, repeats: int) -> float:
    """The median wall time of ``repeats`` calls of ``func``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def rows(videos: Sequence[str], crop: Optional[List[int]],
         repeats: int) -> List[List[str]]:
    """One table row per crop setting: the mean entry size, decode time and
    CRC-32 time over ``videos``."""
    out = []
    for box in ([crop] if crop else []) + [None]:
        sizes, decodes, checks = [], [], []
        for video in videos:
            start = time.perf_counter()
            frames, _ = decode_clip(video, box)
            decodes.append(time.perf_counter() - start)
            sizes.append(frames.nbytes / 2**20)
            checks.append(median_seconds(lambda: frames_crc32(frames),
                                         repeats))
        out.append([
            'crop ' + ' '.join(map(str, box)) if box else 'whole frames',
            f'{np.mean(sizes):.2f}', f'{1e3 * np.mean(decodes):.1f}',
            f'{1e3 * np.mean(checks):.3f}',
            f'{1e3 * np.sum(checks) / np.sum(sizes):.3f}'
        ])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video_dir', help='a folder of .mp4 videos')
    parser.add_argument('--crop', type=int, nargs=4, metavar='N',
                        help='also time entries of this crop (x1 y1 x2 y2)')
    parser.add_argument('--max-videos', type=int, default=10)
    parser.add_argument('--repeats', type=int, default=20)
    args = parser.parse_args()
    videos = sorted(glob.glob(osp.join(args.video_dir, '*.mp4')))
    videos = videos[:args.max_videos]
    if not videos:
        parser.error(f'no .mp4 video in {args.video_dir}')
    table = rows(videos, args.crop, args.repeats)
    print(f'{len(videos)} videos of {args.video_dir}, CRC-32 timed as the '
          f'median of {args.repeats} runs\n')
    print('| entry | MB | decode (ms) | CRC-32 (ms) | CRC-32 (ms per MB) |')
    print('|---|---|---|---|---|')
    for row in table:
        print('| ' + ' | '.join(row) + ' |')


if __name__ == '__main__':
    main()
