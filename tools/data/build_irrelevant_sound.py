# Copyright (c) mmxkd contributors. All rights reserved.
"""Write an irrelevant version of the sound of every clip of a list: the
log-mel spectrograms that ``IrrelevantSoundDataset`` reads for the clips it
alters (the teacher's features of them then come from
``tools/extract_teacher_features.py`` pointed at OUT_DIR).

Kinds (``--kind``):

- ``noise``: the clip's sound replaced by non-speech noise of the same
  length, one type per clip drawn with the seed: white, pink or brown noise
  or a chord of 2-4 steady tones at the clip's RMS level, or a faint white
  hiss 40 dB below it;
- ``mix``: the clip's own sound plus the sound of a clip of another label
  (drawn with the seed), repeated or cut to the clip's length and scaled so
  that the clip's own sound is ``--snr-db`` above it.

Each clip's random choices come from ``numpy.random.default_rng([seed,
index])`` (``index`` its line in the list), so a run is reproducible and
does not depend on the number of workers. The spectrogram is that of
``tools/data/build_audio_features.py`` (the same parameters, ``--help``),
written to ``OUT_DIR/<dir>/<name>.npy`` for ``VIDEO_ROOT/<dir>/<name>.<ext>``
(atomically; finished clips are skipped, so a killed run resumes).
``OUT_DIR/irrelevant_sound.json`` records the kind, the SNR, the seed and,
per clip, the noise type or the donor clip.
"""
import argparse
import json
import os.path as osp
import sys
from functools import partial
from typing import Dict, List, NamedTuple, Optional, Tuple

import numpy as np

from mmxkd.fileio import (remove_stale_temp_files, save_json, save_npy_atomic,
                          spectrogram_complete)
from mmxkd.fileio.media import decode_sound
from mmxkd.utils.audio import MelParams, log_mel
from mmxkd.utils.cli import add_workers_argument, require_positive
from mmxkd.utils.parallel import track_map

KINDS = ('noise', 'mix')
NOISE_TYPES = ('white', 'pink', 'brown', 'tones', 'hiss')
MANIFEST = 'irrelevant_sound.json'


class Clip(NamedTuple):
    """One clip of the list, its donor (``mix``) and where its output goes."""
    index: int
    video: str
    donor: Optional[str]
    out: str


def coloured_noise(rng: np.random.Generator, num: int,
                   exponent: float) -> np.ndarray:
    """Gaussian noise whose power falls as ``1 / f ** exponent`` (0 white,
    1 pink, 2 brown), normalised to unit RMS.

    Shapes:
        output: (num, ) float64.
    """
    spectrum = np.fft.rfft(rng.standard_normal(num))
    freqs = np.fft.rfftfreq(num)
    freqs[0] = freqs[1] if num > 1 else 1.0
    noise = np.fft.irfft(spectrum / freqs**(exponent / 2), n=num)
    return noise / max(float(np.sqrt(np.mean(noise**2))), 1e-12)


def make_noise(rng: np.random.Generator, num: int, rate: int,
               rms: float) -> Tuple[np.ndarray, str]:
    """Non-speech noise of ``num`` samples at ``rms`` (the hiss 40 dB
    below), of a type drawn from :data:`NOISE_TYPES`."""
    kind = NOISE_TYPES[rng.integers(len(NOISE_TYPES))]
    if kind == 'tones':
        t = np.arange(num) / rate
        freqs = rng.uniform(200, 3000, size=rng.integers(2, 5))
        noise = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
                    for f in freqs)
        noise = noise / max(float(np.sqrt(np.mean(noise**2))), 1e-12)
    else:
        exponent = dict(white=0.0, pink=1.0, brown=2.0, hiss=0.0)[kind]
        noise = coloured_noise(rng, num, exponent)
    level = rms * (0.01 if kind == 'hiss' else 1.0)
    return (noise * level).astype(np.float32), kind


def mix_at_snr(own: np.ndarray, other: np.ndarray,
               snr_db: float) -> np.ndarray:
    """``own + g * other``, ``other`` repeated or cut to ``own``'s length
    and ``g`` chosen so that ``own`` is ``snr_db`` above it.

    Shapes:
        own: (N, ); other: (M, ); output: (N, ) float32.
    """
    other = np.resize(other, own.shape)
    own_power = float(np.mean(own.astype(np.float64)**2))
    other_power = max(float(np.mean(other.astype(np.float64)**2)), 1e-12)
    gain = np.sqrt(own_power / (other_power * 10**(snr_db / 10)))
    return (own + gain * other).astype(np.float32)


def choose_donors(labels: List[int], seed: int) -> List[int]:
    """For each clip, a clip of another label (``-1`` where there is none),
    drawn with ``default_rng([seed, index])``."""
    labels_arr = np.asarray(labels)
    donors = []
    for index, label in enumerate(labels):
        candidates = np.flatnonzero(labels_arr != label)
        rng = np.random.default_rng([seed, index, 1])
        donors.append(int(candidates[rng.integers(len(candidates))])
                      if len(candidates) else -1)
    return donors


def process(clip: Clip, kind: str, snr_db: float, seed: int,
            params: MelParams) -> Tuple[Clip, str, str]:
    """Write one clip's altered spectrogram: (clip, what was done, error)."""
    try:
        own = decode_sound(clip.video, params.sample_rate).samples
        if kind == 'noise':
            rng = np.random.default_rng([seed, clip.index])
            rms = float(np.sqrt(np.mean(own.astype(np.float64)**2)))
            sound, what = make_noise(rng, len(own), params.sample_rate,
                                     max(rms, 1e-4))
        else:
            other = decode_sound(clip.donor, params.sample_rate).samples
            sound, what = mix_at_snr(own, other, snr_db), clip.donor
        feat = log_mel(sound, params)
        if not np.isfinite(feat).all():
            raise ValueError('the spectrogram is not finite')
        save_npy_atomic(clip.out, feat)
    except Exception as e:  # report every clip's problem, then go on
        return clip, '', f'{type(e).__name__}: {e}'
    return clip, what, ''


def read_list(ann_file: str) -> List[Tuple[str, int]]:
    """``(video, label)`` of each line of an MMAction2 list file."""
    entries = []
    with open(ann_file) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            fields = line.split()
            try:
                entries.append((fields[0], int(fields[1])))
            except (IndexError, ValueError):
                raise ValueError(f'{ann_file}:{lineno}: expected "<video> '
                                 f'<label>", got "{line.strip()}"') from None
    if not entries:
        raise ValueError(f'{ann_file} lists no clips')
    return entries


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('video_root', help='root folder of the videos')
    parser.add_argument('ann_file', help='MMAction2 list file of the clips')
    parser.add_argument('out_dir', help='root folder of the spectrograms')
    parser.add_argument('--kind', choices=KINDS, required=True)
    parser.add_argument('--snr-db', type=float, default=0.0,
                        help='mix: level of the own sound over the other')
    parser.add_argument('--seed', type=int, default=0)
    add_workers_argument(parser, 'processes')
    args = parser.parse_args(argv)
    require_positive(parser, args, 'workers')
    if not osp.isdir(args.video_root):
        parser.error(f'VIDEO_ROOT {args.video_root} is not a directory')
    if not osp.isfile(args.ann_file):
        parser.error(f'list file {args.ann_file} does not exist')
    return args


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    params = MelParams()
    try:
        entries = read_list(args.ann_file)
    except ValueError as e:
        sys.exit(f'error: {e}')
    donors = (choose_donors([label for _, label in entries], args.seed)
              if args.kind == 'mix' else [None] * len(entries))
    clips = []
    for index, ((video, _), donor) in enumerate(zip(entries, donors)):
        if donor == -1:
            sys.exit(f'error: every clip of {args.ann_file} has the label of '
                     f'{video}: no other clip can be mixed in')
        clips.append(
            Clip(index, osp.join(args.video_root, video),
                 None if donor is None else osp.join(args.video_root,
                                                     entries[donor][0]),
                 osp.join(args.out_dir,
                          osp.splitext(osp.normpath(video))[0] + '.npy')))
    removed = remove_stale_temp_files(args.out_dir, '*.npy')
    todo = [
        c for c in clips if not spectrogram_complete(c.out, params.n_mels)
    ]
    print(f'{len(clips)} clips of {args.ann_file}, {args.kind}: '
          f'{len(clips) - len(todo)} already done, {len(todo)} to compute')
    results = list(track_map(
        partial(process, kind=args.kind, snr_db=args.snr_db,
                seed=args.seed, params=params), todo, args.workers))
    failed = [(clip, error) for clip, _, error in results if error]
    for clip, error in failed:
        print(f'FAILED {clip.video}: {error}')
    record: Dict[str, str] = {}
    manifest = osp.join(args.out_dir, MANIFEST)
    if osp.isfile(manifest):
        with open(manifest) as f:
            record = json.load(f).get('clips', {})
    record.update({osp.relpath(clip.out, args.out_dir): (
        osp.relpath(what, args.video_root) if args.kind == 'mix' else what)
        for clip, what, error in results if not error})
    save_json(manifest, dict(kind=args.kind, snr_db=args.snr_db,
                             seed=args.seed, ann_file=args.ann_file,
                             clips=record), indent=1)
    print(f'written {len(results) - len(failed)}, failed {len(failed)}; '
          f'stale temporary files removed: {removed}; record: {manifest}')
    if failed:
        sys.exit(1)


if __name__ == '__main__':
    main()
