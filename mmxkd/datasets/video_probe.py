# Copyright (c) mmxkd contributors. All rights reserved.
"""Probing the videos of a dataset when it is built, with an on-disk cache.

:func:`probe_clip` opens a video with PyAV, reads its first video stream's
header and demuxes its packets without decoding them, and for MP4 / MOV
follows the top-level box sizes to the end of the file, so a file that
FFmpeg cannot open, that has no video stream, whose header lists more
frames than the file holds, or that is cut anywhere, even in its last
packet with its index first (``+faststart``), is found before training.
:func:`probe_videos` probes many files in worker processes, with a progress
bar, and keeps the results in a JSON cache keyed by the absolute path, size and modification time of each file:
a large dataset is probed once, and a file that changes is probed again.
"""
import json
import logging
import os
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence

import av
from mmengine.logging import print_log

from mmxkd.fileio import save_json
from mmxkd.utils.parallel import track_map

CACHE_VERSION = 2  # 2: MP4 / MOV box sizes checked
# fewer videos than this to probe are probed here, without a process pool
PARALLEL_AFTER = 32

Probe = Dict[str, Any]


ISO_BMFF_BRAND = b'ftyp'


def iso_bmff_shortfall(path: str) -> int:
    """How many bytes an MP4 / MOV (ISO base media) file lacks: the end of
    its last top-level box, as the box headers declare it, minus the file
    size. A file cut short at any point, its index first (``+faststart``)
    or last, declares more than it holds.

    Args:
        path (str): The file.

    Returns:
        int: The missing bytes; 0 for a complete file and for a file that
        is not ISO base media (no ``ftyp`` box first).
    """
    size = os.path.getsize(path)
    with open(path, 'rb') as f:
        head = f.read(8)
        if len(head) < 8 or head[4:8] != ISO_BMFF_BRAND:
            return 0
        offset = 0
        while offset + 8 <= size:
            f.seek(offset)
            header = f.read(16)
            box = int.from_bytes(header[:4], 'big')
            if box == 1 and len(header) == 16:  # 64-bit size follows
                box = int.from_bytes(header[8:16], 'big')
            elif box == 0:  # the box runs to the end of the file
                return 0
            if box < 8:
                return 0  # not a box structure we can follow
            offset += box
        return max(0, offset - size)


def probe_clip(path: str) -> Probe:
    """What a video file holds, or why it cannot be read.

    Args:
        path (str): The video.

    Returns:
        dict: JSON-serializable: ``{'frames': int, 'fps': float | None}``
        where ``frames`` counts the video packets in the file, or
        ``{'error': str}``: ``'unreadable or corrupt (...)'``, ``'no video
        stream'`` (a file with sound only), ``'truncated (...)'`` (fewer
        packets than the header lists, or for MP4 / MOV fewer bytes than
        its boxes declare) or ``'no video frame'``.
    """
    try:
        with av.open(path) as container:
            if not container.streams.video:
                # a cut index leaves no stream, or only a data stream
                return dict(error='no video stream' if container.streams.
                            audio else 'unreadable or corrupt (no audio or '
                            'video stream)')
            stream = container.streams.video[0]
            if stream.codec_context is None:
                return dict(error='unreadable or corrupt (no decoder for '
                            'the video stream)')
            listed = stream.frames  # 0 where the header does not say
            fps = stream.average_rate or stream.guessed_rate
            frames = sum(1 for packet in container.demux(stream)
                         if packet.size)
    except av.error.FFmpegError as err:
        reason = getattr(err, 'strerror', None) or str(err)
        return dict(error=f'unreadable or corrupt ({reason})')
    if listed > frames:
        return dict(error=f'truncated (its header lists {listed} frames, '
                    f'the file holds {frames})')
    missing = iso_bmff_shortfall(path)
    if missing:
        return dict(error=f'truncated (its boxes declare {missing} bytes '
                    'more than the file holds)')
    if frames == 0:
        return dict(error='no video frame')
    return dict(frames=frames, fps=float(fps) if fps else None)


def _file_key(path: str) -> Dict[str, int]:
    """Size and modification time of a file: a cached probe stays valid
    while both do."""
    stat = os.stat(path)
    return dict(size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def load_probe_cache(cache_file: str) -> Dict[str, dict]:
    """The entries of a probe cache, ``{abspath: {'size', 'mtime_ns',
    'probe'}}``; none when the file is missing, unreadable or of another
    version (a warning says so for the last two)."""
    if not osp.isfile(cache_file):
        return {}
    try:
        with open(cache_file) as f:
            content = json.load(f)
        if content.get('version') != CACHE_VERSION:
            raise ValueError(f'version {content.get("version")}, expected '
                             f'{CACHE_VERSION}')
        return dict(content['videos'])
    except (OSError, ValueError, KeyError, AttributeError) as err:
        print_log(
            f'ignoring the video probe cache {cache_file} ({err!r}): every '
            'video is probed again',
            logger='current',
            level=logging.WARNING)
        return {}


def probe_videos(paths: Sequence[str],
                 cache_file: Optional[str] = None,
                 workers: int = 1) -> Dict[str, Probe]:
    """:func:`probe_clip` of every path, through a cache.

    A cached probe is used while the file keeps its size and modification
    time; the others are probed (in ``workers`` processes when there are
    at least ``PARALLEL_AFTER`` of them) and written to the cache, which
    keeps the entries of other files. The cache is written atomically; when
    it cannot be written a warning says so and the results are still
    returned.

    Args:
        paths (Sequence[str]): Existing video files.
        cache_file (str, optional): The JSON cache; no cache by default.
        workers (int): Processes for the probes. Defaults to 1.

    Returns:
        Dict[str, dict]: The probe of each path.
    """
    entries = load_probe_cache(cache_file) if cache_file else {}
    results: Dict[str, Probe] = {}
    todo: List[str] = []
    keys: Dict[str, Dict[str, int]] = {}
    for path in dict.fromkeys(paths):
        keys[path] = _file_key(path)
        entry = entries.get(osp.abspath(path))
        if entry is not None and all(
                entry.get(name) == value
                for name, value in keys[path].items()):
            results[path] = entry['probe']
        else:
            todo.append(path)
    if not todo:
        return results
    print_log(
        f'probing {len(todo)} of {len(keys)} videos' +
        (f' (the others are cached in {cache_file})'
         if len(todo) < len(keys) else ''),
        logger='current')
    workers = workers if len(todo) >= PARALLEL_AFTER else 1
    chunksize = max(1, min(64, len(todo) // (4 * workers)))
    for path, probe in zip(todo, track_map(probe_clip, todo, workers,
                                           chunksize)):
        results[path] = probe
        entries[osp.abspath(path)] = dict(keys[path], probe=probe)
    if cache_file:
        try:
            save_json(
                cache_file, dict(version=CACHE_VERSION, videos=entries))
        except OSError as err:
            print_log(
                f'could not write the video probe cache {cache_file} '
                f'({err!r}): the videos will be probed again next time; '
                'give the dataset a writable cache_dir',
                logger='current',
                level=logging.WARNING)
    return results
