# Copyright (c) mmxkd contributors. All rights reserved.
"""A decoded-clip cache: each video is decoded once to a uint8 array on
disk, memory-mapped by later reads (:class:`ClipCacheInit`).

An entry is two files in the cache folder, ``<stem>-<key>.json`` (what the
decoder reported: frame count, frame size, fps, and the CRC-32 of the
frames' bytes) and ``<stem>-<key>.npy``
(the frames, ``(T, H, W, 3)`` uint8 RGB, cropped to the fixed box if one is
given). The key hashes the video's real path, its ``st_mtime_ns`` and size,
the crop box and :data:`CACHE_TAG` (the decoder and its version), so an
edited video, another crop or another decord is decoded again; stale entries
are left in place (delete the folder to reclaim them). An entry whose bytes
no longer match its CRC-32 (flipped on disk) is decoded again, like a
truncated one; each process checks an entry once, when it first opens it
(measured: 0.5 ms per MB, 1 ms for a GRID sentence's 2.3 MB of mouth crops
and 11 ms for its 22 MB of whole frames, against 120 ms to decode it;
``python tools/analysis/benchmark_clip_cache.py tests/data/grid_s1/videos
--crop 120 165 240 255``). Both files are
written atomically (:mod:`mmxkd.fileio`), the description first: dataloader
workers that build the same entry write the same bytes, and a reader sees
either no ``.npy`` or a complete one.
"""
import hashlib
import io
import zlib
import json
import logging
import os
import os.path as osp
from typing import Optional, Sequence, Set, Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log

from mmxkd.fileio import atomic_open, save_npy_atomic
from mmxkd.registry import TRANSFORMS

try:
    import decord
except ImportError:  # raised with advice when a video is decoded
    decord = None

# format of the entries; part of every key
CACHE_FORMAT = 2  # 2: the description holds the frames' CRC-32
# frames decoded per ``get_batch`` call while building an entry
DECODE_CHUNK = 64
# what reading a missing, truncated or inconsistent entry raises
BROKEN_ENTRY = (OSError, ValueError, KeyError, EOFError)
# the entries (path, size, mtime) whose CRC-32 this process has checked
_checked: Set[Tuple[str, int, int]] = set()


def frames_crc32(frames: np.ndarray) -> int:
    """CRC-32 of an array's bytes, in C order."""
    return zlib.crc32(memoryview(np.ascontiguousarray(frames)).cast('B'))


def cache_tag() -> str:
    """The decoder part of every key: decord's version and the format."""
    return f'decord-{decord.__version__}-format{CACHE_FORMAT}'


def _check_box(crop: Optional[Sequence[int]]) -> Optional[Tuple[int, ...]]:
    if crop is None:
        return None
    if len(crop) != 4 or not (0 <= crop[0] < crop[2]
                              and 0 <= crop[1] < crop[3]):
        raise ValueError(f'crop must be (x1, y1, x2, y2) with x1 < x2 and '
                         f'y1 < y2, got {crop}')
    return tuple(int(v) for v in crop)


def video_path(filename: str) -> str:
    """``filename`` as DecordInit reads it: ``.mp4`` appended when it has
    no extension."""
    return filename + '.mp4' if osp.splitext(filename)[0] == filename \
        else filename


def entry_paths(filename: str, cache_dir: str,
                crop: Optional[Sequence[int]]) -> Tuple[str, str]:
    """The ``.npy`` and ``.json`` of the entry of a video as it is now.

    Args:
        filename (str): The video (``.mp4`` appended without extension).
        cache_dir (str): The cache folder.
        crop (Sequence[int], optional): ``(x1, y1, x2, y2)`` or None.

    Returns:
        tuple[str, str]: The frames' and the description's paths.

    Raises:
        FileNotFoundError: The video does not exist.
    """
    path = osp.realpath(video_path(filename))
    if not osp.isfile(path):
        raise FileNotFoundError(f'missing video {filename} (clip cache '
                                f'{cache_dir})')
    stat = os.stat(path)
    box = _check_box(crop)
    ident = json.dumps([
        path, stat.st_mtime_ns, stat.st_size,
        list(box) if box else None,
        cache_tag()
    ])
    key = hashlib.sha1(ident.encode()).hexdigest()[:20]
    stem = osp.splitext(osp.basename(path))[0]
    base = osp.join(cache_dir, f'{stem}-{key}')
    return base + '.npy', base + '.json'


def decode_clip(filename: str,
                crop: Optional[Sequence[int]]) -> Tuple[np.ndarray, dict]:
    """Decode every frame of a video as MMAction2's DecordInit and
    DecordDecode do (decord, one thread, from the file's bytes), cropped.

    Args:
        filename (str): The video (``.mp4`` appended without extension).
        crop (Sequence[int], optional): ``(x1, y1, x2, y2)`` in pixels of
            the frames, which must contain it; None keeps whole frames.

    Returns:
        tuple[np.ndarray, dict]: The frames and their description
        (``total_frames``, ``original_shape`` (H, W) before the crop,
        ``avg_fps``, ``crop``, ``shape``, ``crc32`` of the frames).

    Shapes:
        frames: (T, H, W, 3) uint8, RGB; (T, y2 - y1, x2 - x1, 3) cropped.
    """
    if decord is None:
        raise ImportError('the clip cache decodes with decord: '
                          'pip install decord')
    box = _check_box(crop)
    path = video_path(filename)
    with open(path, 'rb') as f:
        reader = decord.VideoReader(io.BytesIO(f.read()), num_threads=1)
    total = len(reader)
    if total == 0:
        raise ValueError(f'video {path} has no frames')
    frames = None
    for start in range(0, total, DECODE_CHUNK):
        inds = list(range(start, min(start + DECODE_CHUNK, total)))
        chunk = reader.get_batch(inds).asnumpy()
        if frames is None:
            height, width = chunk.shape[1:3]
            if box and (box[2] > width or box[3] > height):
                raise ValueError(f'clip cache crop {box} exceeds the '
                                 f'{width}x{height} frames of {path}')
            x1, y1, x2, y2 = box or (0, 0, width, height)
            frames = np.empty((total, y2 - y1, x2 - x1, 3), np.uint8)
        frames[start:start + len(inds)] = chunk[:, y1:y2, x1:x2]
    meta = dict(
        video=osp.realpath(path),
        total_frames=total,
        original_shape=[int(height), int(width)],
        avg_fps=float(reader.get_avg_fps()),
        crop=list(box) if box else None,
        shape=list(frames.shape),
        crc32=frames_crc32(frames))
    return frames, meta


def _open_entry(npy: str, meta_path: str) -> Tuple[np.memmap, dict]:
    """Memory-map an entry, checking it against its description: dtype,
    shape, size and (once per process and file version) CRC-32.

    Raises:
        BROKEN_ENTRY: Missing, truncated, inconsistent or changed.
    """
    with open(meta_path) as f:
        meta = json.load(f)
    frames = np.load(npy, mmap_mode='r', allow_pickle=False)
    if frames.dtype != np.uint8 or list(frames.shape) != meta['shape']:
        raise ValueError(f'holds {frames.dtype} {frames.shape}, its '
                         f'description says uint8 {meta["shape"]}')
    stat = os.stat(npy)
    if stat.st_size != frames.offset + frames.nbytes:
        raise ValueError(f'is {stat.st_size} bytes, expected '
                         f'{frames.offset + frames.nbytes}')
    key = (osp.realpath(npy), stat.st_size, stat.st_mtime_ns)
    if key not in _checked:
        if frames_crc32(frames) != meta['crc32']:
            raise ValueError('its frames do not match the CRC-32 of its '
                             'description (changed on disk)')
        _checked.add(key)
    return frames, meta


def build_entry(filename: str, cache_dir: str,
                crop: Optional[Sequence[int]]) -> Tuple[str, bool]:
    """Decode a video into its entry unless a valid one exists.

    Args:
        filename (str): The video.
        cache_dir (str): The cache folder.
        crop (Sequence[int], optional): ``(x1, y1, x2, y2)`` or None.

    Returns:
        tuple[str, bool]: The entry's ``.npy`` and whether it was built.
    """
    npy, meta_path = entry_paths(filename, cache_dir, crop)
    try:
        _open_entry(npy, meta_path)
        return npy, False
    except FileNotFoundError:
        pass
    except BROKEN_ENTRY as err:
        print_log(
            f'clip cache entry {npy} of {filename} is broken ({err}); '
            'decoding again',
            logger='current',
            level=logging.WARNING)
    frames, meta = decode_clip(filename, crop)
    with atomic_open(meta_path) as f:
        json.dump(meta, f)
    save_npy_atomic(npy, frames)
    return npy, True


def load_entry(filename: str, cache_dir: str,
               crop: Optional[Sequence[int]]) -> Tuple[np.memmap, dict]:
    """The memory-mapped frames of a video and their description, built
    first where missing or broken.

    Args:
        filename (str): The video.
        cache_dir (str): The cache folder.
        crop (Sequence[int], optional): ``(x1, y1, x2, y2)`` or None.

    Returns:
        tuple[np.memmap, dict]: See :func:`decode_clip`.

    Raises:
        FileNotFoundError: The video does not exist.
        RuntimeError: A rebuilt entry still does not read back.
    """
    npy, meta_path = entry_paths(filename, cache_dir, crop)
    try:
        return _open_entry(npy, meta_path)
    except BROKEN_ENTRY:
        build_entry(filename, cache_dir, crop)
    try:
        return _open_entry(npy, meta_path)
    except BROKEN_ENTRY as err:
        raise RuntimeError(f'clip cache entry {npy} of video {filename} does '
                           f'not read back after decoding: {err}') from err


@TRANSFORMS.register_module()
class ClipCacheInit(BaseTransform):
    """Open a video's decoded frames from the clip cache, decoding it into
    the cache on first use; replaces ``DecordInit`` (and a fixed
    :class:`RegionCrop`) before ``SampleFrames`` and
    :class:`ClipCacheDecode`.

    The frames are those DecordInit + DecordDecode (+ RegionCrop) give, bit
    for bit; only decoding is cached, frame sampling and augmentation still
    run on every read. A broken entry (truncated, inconsistent with its
    description, bytes that fail its CRC-32) is decoded again, with a
    warning. See the module's
    docstring for the entries and their keys; ``tools/data/
    build_clip_cache.py`` builds them ahead of training.

    Required keys: ``filename``. Added keys: ``total_frames``, ``avg_fps``,
    ``clip_cache`` (the frames and their description, for
    :class:`ClipCacheDecode`).

    Args:
        cache_dir (str): Folder of the entries; created when needed.
        crop (tuple, optional): ``(x1, y1, x2, y2)`` in pixels of the
            decoded frames, which must contain it; cached frames are cropped
            to it. Defaults to None (whole frames).
    """

    def __init__(self,
                 cache_dir: str,
                 crop: Optional[Sequence[int]] = None) -> None:
        self.cache_dir = cache_dir
        self.crop = _check_box(crop)

    def transform(self, results: dict) -> dict:
        frames, meta = load_entry(results['filename'], self.cache_dir,
                                  self.crop)
        results['total_frames'] = meta['total_frames']
        results['avg_fps'] = meta['avg_fps']
        results['clip_cache'] = dict(
            frames=frames,
            original_shape=tuple(meta['original_shape']),
            crop=self.crop)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(cache_dir={self.cache_dir!r}, '
                f'crop={self.crop})')
