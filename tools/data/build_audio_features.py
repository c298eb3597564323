# Copyright (c) mmxkd contributors. All rights reserved.
"""Compute log-mel spectrograms of the sound tracks of videos.

The audio is decoded straight from each video file with PyAV (no intermediate
wav): the first audio stream, downmixed to mono and resampled to
``--sample-rate`` as float32 by FFmpeg's resampler. librosa then computes a
power mel spectrogram and the tool saves ``log(mel + 1e-6)`` as a float32
array of shape ``(T, n_mels)``, one row per frame. The ``1e-6`` floor keeps a
silent track finite (``log(1e-6) = -13.8``). Every output is checked
to be finite before it is written.

Parameters (defaults in brackets):

- ``--sample-rate`` [16000]: rate the audio is resampled to, in Hz.
- ``--n-fft`` [512]: FFT size in samples (32 ms at 16 kHz).
- ``--win-length`` [400]: Hann window length in samples, at most ``n_fft``
  (25 ms at 16 kHz).
- ``--hop-length`` [160]: samples between frames (10 ms at 16 kHz, so 100
  frames per second).
- ``--n-mels`` [64]: mel bands, the number of columns of the output.
- ``--fmin`` / ``--fmax`` [0 / 8000]: frequency range of the mel filters, in
  Hz; ``fmax`` is at most ``sample_rate / 2``.
- fixed: ``power=2.0`` (power spectrogram), ``center=True`` with zero
  padding, so ``T = 1 + num_samples // hop_length``; Slaney mel scale
  (``htk=False``) with Slaney-normalised filters (``norm='slaney'``).

Which videos: with ``--list``, the first column of an MMAction2 list file
(``<video> <label>`` lines), relative to VIDEO_ROOT; otherwise every file
under VIDEO_ROOT (recursively, following symbolic links) whose extension is
one of ``--ext``. The feature of ``VIDEO_ROOT/<dir>/<name>.<ext>`` is written
to ``OUT_DIR/<dir>/<name>.npy``, the path convention of the project (as for
``AudioVisualDataset``'s teacher features; these 2-D spectrograms are an audio
teacher's input, not 1-D teacher features).

Each output is written to ``<name>.npy.tmp-<pid>`` and renamed, so a killed
run leaves no partial ``.npy``; the temporary files of an earlier run are
deleted at start (so run one instance per OUT_DIR at a time). Running again
resumes: an existing output that loads as a 2-D float32 array with ``n_mels``
columns is kept, a broken one is computed again. Only the shape is checked,
so use a new OUT_DIR after changing other parameters.

A video that cannot be read, has no audio stream or gives no samples is
reported with the reason; the others are still processed, then all failures
are listed and the exit status is 1.
"""
import argparse
import os
import os.path as osp
import sys
from functools import partial
from typing import Iterable, List, NamedTuple, Optional

import numpy as np

from mmxkd.fileio import (remove_stale_temp_files, save_npy_atomic,
                          spectrogram_complete)
from mmxkd.fileio.media import decode_sound
from mmxkd.utils.audio import MelParams, log_mel
from mmxkd.utils.cli import add_workers_argument, require_positive
from mmxkd.utils.parallel import track_map

DEFAULT_EXTS = ('.mp4', '.avi', '.mkv', '.webm', '.mov', '.mpg', '.mpeg',
                '.flv', '.m4v')
DEFAULTS = MelParams()
# (MelParams field, metavar, help) of the options, in the order of --help
MEL_OPTIONS = (
    ('sample_rate', 'HZ', 'Hz'),
    ('n_mels', None, 'mel bands (output columns)'),
    ('n_fft', None, 'FFT size in samples'),
    ('win_length', None, 'window in samples'),
    ('hop_length', None, 'frame step in samples'),
    ('fmin', 'HZ', 'Hz'),
    ('fmax', 'HZ', 'Hz'),
)


class Job(NamedTuple):
    """One video and the path of its feature."""
    video: str
    out: str


class Result(NamedTuple):
    """One processed job; ``error`` is empty when its feature was written."""
    job: Job
    error: str = ''


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse and check the command line (``sys.argv[1:]`` by default)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('video_root', help='root folder of the videos')
    parser.add_argument('out_dir', help='root folder of the .npy features')
    parser.add_argument(
        '--list',
        dest='ann_file',
        metavar='ANN_FILE',
        help='MMAction2 list file ("<video> <label>" lines, videos relative '
        'to VIDEO_ROOT); without it, every video under VIDEO_ROOT')
    parser.add_argument(
        '--ext',
        nargs='+',
        default=list(DEFAULT_EXTS),
        help='video extensions to look for without --list (case-insensitive)')
    add_workers_argument(parser, 'processes')
    for name, metavar, help in MEL_OPTIONS:
        default = getattr(DEFAULTS, name)
        parser.add_argument(
            '--' + name.replace('_', '-'),
            type=type(default),
            default=default,
            metavar=metavar,
            help=help)
    args = parser.parse_args(argv)
    require_positive(parser, args, 'workers', 'sample_rate', 'n_mels',
                     'n_fft', 'win_length', 'hop_length')
    if args.win_length > args.n_fft:
        parser.error('--win-length must be <= --n-fft')
    if not 0 <= args.fmin < args.fmax <= args.sample_rate / 2:
        parser.error('need 0 <= --fmin < --fmax <= --sample-rate / 2, got '
                     f'{args.fmin}, {args.fmax}, {args.sample_rate}')
    if not osp.isdir(args.video_root):
        parser.error(f'VIDEO_ROOT {args.video_root} is not a directory')
    if args.ann_file is not None and not osp.isfile(args.ann_file):
        parser.error(f'list file {args.ann_file} does not exist')
    args.ext = [
        ext.lower() if ext.startswith('.') else '.' + ext.lower()
        for ext in args.ext
    ]
    return args


def videos_from_list(ann_file: str) -> List[str]:
    """First column of each non-empty line of an MMAction2 list file."""
    with open(ann_file) as f:
        return [line.split()[0] for line in f if line.strip()]


def videos_under(root: str, exts: Iterable[str]) -> List[str]:
    """Paths relative to ``root`` of the files with one of ``exts``."""
    exts = tuple(exts)
    found = []
    for dirpath, _, filenames in os.walk(root, followlinks=True):
        for filename in filenames:
            if filename.lower().endswith(exts):
                found.append(osp.relpath(osp.join(dirpath, filename), root))
    return sorted(found)


def make_jobs(video_root: str, out_dir: str, relpaths: List[str]) -> List[Job]:
    """One job per video, in order and without duplicates.

    Raises:
        ValueError: a path is absolute or leaves VIDEO_ROOT, or two videos
            (``a.mp4`` and ``a.avi``) would write the same feature.
    """
    jobs, owner = [], {}
    for relpath in relpaths:
        norm = osp.normpath(relpath)
        if osp.isabs(norm) or norm == '..' or norm.startswith('..' + os.sep):
            raise ValueError(f'video path {relpath} is not inside VIDEO_ROOT')
        out = osp.join(out_dir, osp.splitext(norm)[0] + '.npy')
        if out in owner:
            if owner[out] == norm:
                continue
            raise ValueError(f'{owner[out]} and {norm} would both be written '
                             f'to {out}')
        owner[out] = norm
        jobs.append(Job(osp.join(video_root, norm), out))
    return jobs


def process(job: Job, params: MelParams) -> Result:
    """Compute and save the feature of one video; errors become results."""
    try:
        sound = decode_sound(job.video, params.sample_rate)
        feat = log_mel(sound.samples, params)
        if not np.isfinite(feat).all():
            raise ValueError('the features are not finite')
        save_npy_atomic(job.out, feat)
    except Exception as e:  # report every video's problem, then go on
        return Result(job, f'{type(e).__name__}: {e}')
    return Result(job)


def run(jobs: List[Job], params: MelParams, workers: int) -> List[Result]:
    """Process ``jobs`` with a progress bar, in ``workers`` processes."""
    return list(track_map(partial(process, params=params), jobs, workers))


def main(argv: Optional[List[str]] = None) -> None:
    """Compute the missing features, then list the failures."""
    args = parse_args(argv)
    params = MelParams(args.sample_rate, args.n_fft, args.win_length,
                       args.hop_length, args.n_mels, args.fmin, args.fmax)
    if args.ann_file is not None:
        relpaths = videos_from_list(args.ann_file)
        source = f'listed in {args.ann_file}'
    else:
        relpaths = videos_under(args.video_root, args.ext)
        source = f'with extension {" ".join(args.ext)} under {args.video_root}'
    if not relpaths:
        sys.exit(f'error: no videos {source}')
    try:
        jobs = make_jobs(args.video_root, args.out_dir, relpaths)
    except ValueError as e:
        sys.exit(f'error: {e}')
    removed_tmp = remove_stale_temp_files(args.out_dir, '*.npy')
    todo = [
        job for job in jobs if not spectrogram_complete(job.out, args.n_mels)
    ]
    skipped = len(jobs) - len(todo)
    print(f'{len(jobs)} videos {source}: {skipped} already done, '
          f'{len(todo)} to compute')
    results = run(todo, params, args.workers) if todo else []
    failed = sorted((r for r in results if r.error), key=lambda r: r.job)
    for result in failed:
        print(f'FAILED {result.job.video}: {result.error}')
    print(f'written {len(results) - len(failed)}, skipped {skipped} (already '
          f'done), failed {len(failed)}; stale temporary files removed: '
          f'{removed_tmp}')
    print(f'log-mel parameters: {params.describe()}')
    if failed:
        sys.exit(1)


if __name__ == '__main__':
    main()
