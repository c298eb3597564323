# Copyright (c) mmxkd contributors. All rights reserved.
"""Decoding and encoding of audio-visual clips with PyAV.

Sound is decoded to mono float32 by FFmpeg's resampler; clips are encoded
as ``.mp4`` (H.264 or MPEG-4 part 2 video, AAC mono sound) through an
:class:`~mmxkd.fileio.atomic.AtomicFile`, so a killed run leaves no partial
clip.
"""
import math
from fractions import Fraction
from itertools import chain
from types import TracebackType
from typing import (Dict, Iterator, NamedTuple, Optional, Sequence, Tuple,
                    Type, Union)

import av
import numpy as np

from .atomic import AtomicFile

Frame = Union[av.VideoFrame, np.ndarray]  # an ndarray is (H, W, 3) RGB uint8
SEEK_AFTER = 10.0  # seconds: later first frames are reached by seeking
SEEK_MARGIN = 1.0  # seconds before the first frame needed


def video_encoder() -> str:
    """libx264 where this PyAV build has it, MPEG-4 part 2 otherwise."""
    try:
        av.codec.Codec('libx264', 'w')
        return 'libx264'
    except (av.error.FFmpegError, ValueError):
        return 'mpeg4'


class Sound(NamedTuple):
    """A whole sound track, mono.

    Shapes:
        samples: (N, ) float32.
    """
    samples: np.ndarray
    rate: int  # samples per second
    start: float  # time of the first sample in the file, in seconds

    def between(self, lo: int, hi: int) -> np.ndarray:
        """Samples ``lo`` to ``hi`` (may lie outside the track), with
        silence where the track has none.

        Returns:
            np.ndarray: ``(max(hi - lo, 0), )`` float32.
        """
        out = np.zeros(max(hi - lo, 0), np.float32)
        src_lo, src_hi = max(lo, 0), min(hi, len(self.samples))
        if src_hi > src_lo:
            out[src_lo - lo:src_hi - lo] = self.samples[src_lo:src_hi]
        return out


def decode_sound(path: str,
                 rate: Optional[int] = None,
                 missing_ok: bool = False) -> Optional[Sound]:
    """The first audio stream of a file, downmixed to mono float32.

    Args:
        path (str): An audio or video file.
        rate (int, optional): Sample rate to resample to; the stream's own
            by default.
        missing_ok (bool): Return ``None`` instead of raising when the file
            has no audio stream or its stream gives no samples. Defaults to
            False.

    Returns:
        Sound | None: The track.

    Raises:
        av.error.FFmpegError: The file is missing or cannot be opened or
            decoded.
        ValueError: There is no audio stream or it has no samples (unless
            ``missing_ok``).
    """
    with av.open(path) as container:
        if not container.streams.audio:
            if missing_ok:
                return None
            raise ValueError('no audio stream')
        stream = container.streams.audio[0]
        rate = rate or stream.codec_context.sample_rate or stream.rate
        resampler = av.AudioResampler(format='fltp', layout='mono', rate=rate)
        chunks, start = [], None
        for frame in container.decode(stream):
            if start is None:
                start = frame.time or 0.0
            chunks += [c.to_ndarray()[0] for c in resampler.resample(frame)]
        chunks += [c.to_ndarray()[0] for c in resampler.resample(None)]
    if not chunks:
        if missing_ok:
            return None
        raise ValueError('the audio stream has no samples')
    return Sound(np.concatenate(chunks).astype(np.float32), rate, start)


class VideoInfo(NamedTuple):
    """What the header of a video file tells."""
    fps: Fraction  # frames per second
    start: float  # time of the first frame, in seconds
    duration: Optional[float]  # seconds from ``start``; None if unknown
    size: Tuple[int, int]  # (width, height)


def probe_video(path: str) -> VideoInfo:
    """The frame rate, start, duration and size of a file's first video
    stream.

    Raises:
        av.error.FFmpegError: The file cannot be opened.
        ValueError: There is no video stream or no frame rate.
    """
    with av.open(path) as container:
        if not container.streams.video:
            raise ValueError('no video stream')
        stream = container.streams.video[0]
        fps = stream.average_rate or stream.guessed_rate
        if not fps:
            raise ValueError('unknown frame rate')
        start = (
            float(stream.start_time * stream.time_base)
            if stream.start_time is not None else 0.0)
        if stream.duration:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / av.time_base - start
        else:
            duration = None
        size = (stream.codec_context.width, stream.codec_context.height)
    return VideoInfo(Fraction(fps), start, duration, size)


def decode_video(path: str,
                 fps: Fraction,
                 start: float,
                 first: int = 0) -> Iterator[Tuple[int, av.VideoFrame]]:
    """The frames of a file's first video stream with their index.

    The index of a frame is its time from ``start`` in frames (its position
    in the stream when it has no time). Frames from ``first`` on are
    yielded, possibly with a few before; when ``first`` lies more than
    ``SEEK_AFTER`` seconds into the video the decoder seeks to
    ``SEEK_MARGIN`` seconds before it, and decodes from the beginning if
    that lands after it.

    Args:
        path (str): The video file.
        fps (Fraction): Its frame rate (:func:`probe_video`).
        start (float): Time of its first frame, in seconds.
        first (int): The first frame needed. Defaults to 0.

    Yields:
        Tuple[int, av.VideoFrame]: ``(index, frame)``, in decoding order.
    """
    seek = first / fps > SEEK_AFTER
    while True:
        with av.open(path) as container:
            stream = container.streams.video[0]
            stream.thread_type = 'AUTO'
            if seek:
                target = start + first / fps - SEEK_MARGIN
                container.seek(int(target / stream.time_base), stream=stream)
            frames = container.decode(stream)
            index = -1
            head = next(frames, None)
            if seek and (head is None or head.time is None or round(
                    (head.time - start) * fps) > first):
                seek = False  # landed after the first frame: decode it all
                continue
            for frame in chain([head] if head else [], frames):
                if frame.time is None:
                    index += 1
                else:
                    index = round((frame.time - start) * fps)
                yield index, frame
            return


def frame_span(start: Union[float, Fraction],
               end: Union[float, Fraction],
               fps: Union[int, Fraction],
               num_frames: int,
               min_frames: int = 0,
               cover: bool = False) -> Tuple[int, int]:
    """The frames [first, stop) of the time span [start, end) of a video.

    Two rules map times to frames:

    - ``cover=False``: the nearest frame boundaries, ``round(start * fps)``
      and ``round(end * fps)``, clamped to [0, num_frames]; the span may be
      empty (ActivityNet segments).
    - ``cover=True``: every frame the span touches, ``floor(start * fps)``
      to ``ceil(end * fps)``, and at least one frame of the video (the last
      one for a span past its end) (GRID words).

    A span shorter than ``min_frames`` is then widened symmetrically (one
    more frame after than before when the difference is odd) and kept
    inside the video.

    Args:
        start (float | Fraction): Start of the span, in seconds (a Fraction
            keeps exact times exact).
        end (float | Fraction): End of the span, in seconds.
        fps (int | Fraction): Frames per second.
        num_frames (int): Frames of the video.
        min_frames (int): Shortest span to widen to. Defaults to 0.
        cover (bool): The rule (see above). Defaults to False.

    Returns:
        Tuple[int, int]: ``(first, stop)``.
    """
    if cover:
        first = min(max(math.floor(start * fps), 0), num_frames - 1)
        stop = min(max(math.ceil(end * fps), first + 1), num_frames)
    else:
        first = min(max(round(start * fps), 0), num_frames)
        stop = min(max(round(end * fps), first), num_frames)
    missing = min_frames - (stop - first)
    if missing > 0:
        first -= missing // 2
        stop += missing - missing // 2
        shift = max(0, -first) - max(0, stop - num_frames)
        first, stop = max(first + shift, 0), min(stop + shift, num_frames)
    return first, stop


class ClipWriter:
    """Encodes frames and, optionally, mono sound into an ``.mp4`` file,
    atomically.

    Frame ``i`` added is shown at ``i / fps``; sound added is appended to
    the track. The file appears at ``path`` only on :meth:`close` (with
    ``keep``); :meth:`abort`, or an error inside a ``with`` block, leaves no
    file.

    Args:
        path (str): The ``.mp4`` to write.
        fps (int | Fraction): Frames per second (constant).
        size (Tuple[int, int]): (width, height), rounded down to even sizes
            (yuv420p needs them; frames are scaled by at most a pixel).
        codec (str): Video encoder, e.g. :func:`video_encoder`'s.
        sample_rate (int, optional): Sample rate of the sound; without it
            the clip has no audio stream.
        bit_rate (int, optional): Video bit rate in bit/s.
        options (dict, optional): Options of the video encoder (e.g.
            ``{'crf': '20'}`` for libx264).
    """

    def __init__(self,
                 path: str,
                 fps: Union[int, Fraction],
                 size: Tuple[int, int],
                 codec: str,
                 sample_rate: Optional[int] = None,
                 bit_rate: Optional[int] = None,
                 options: Optional[Dict[str, str]] = None) -> None:
        self.path = path
        self.fps = Fraction(fps)
        self.frames = 0  # frames added
        self.samples = 0  # sound samples added
        self._target = AtomicFile(path)
        self._out = av.open(self._target.tmp, 'w', format='mp4')
        self._open = True
        try:
            self._video = self._out.add_stream(codec, rate=self.fps)
            self._video.width = size[0] - size[0] % 2
            self._video.height = size[1] - size[1] % 2
            self._video.pix_fmt = 'yuv420p'
            if bit_rate:
                self._video.bit_rate = bit_rate
            if options:
                self._video.options = options
            self._audio = None
            if sample_rate:
                self._audio = self._out.add_stream('aac', rate=sample_rate)
                self._audio.layout = 'mono'
        except BaseException:
            self.abort()
            raise

    def add_frame(self, frame: Frame) -> None:
        """Encode the next frame (an ``av.VideoFrame`` or an (H, W, 3) RGB
        uint8 array)."""
        if isinstance(frame, np.ndarray):
            frame = av.VideoFrame.from_ndarray(frame, format='rgb24')
        frame.pts, frame.time_base = self.frames, 1 / self.fps
        self._out.mux(self._video.encode(frame))
        self.frames += 1

    def add_sound(self, samples: np.ndarray) -> None:
        """Append mono samples, ``(N, )`` float32, to the sound track."""
        if self._audio is None:
            raise ValueError(f'{self.path} was opened without sound')
        if not len(samples):
            return
        chunk = av.AudioFrame.from_ndarray(
            np.asarray(samples, np.float32)[None],
            format='fltp',
            layout='mono')
        chunk.sample_rate, chunk.pts = self._audio.rate, self.samples
        self._out.mux(self._audio.encode(chunk))
        self.samples += len(samples)

    def close(self, keep: bool = True) -> None:
        """Finish the file; it appears at ``path`` if ``keep``."""
        try:
            self._out.mux(self._video.encode(None))
            if self._audio is not None:
                self._out.mux(self._audio.encode(None))
            self._open = False
            self._out.close()
        except BaseException:
            self.abort()
            raise
        if keep:
            self._target.commit()
        else:
            self._target.discard()

    def abort(self) -> None:
        """Drop the clip: no file appears at ``path``."""
        try:
            if self._open:
                self._open = False
                self._out.close()
        finally:
            self._target.discard()

    def __enter__(self) -> 'ClipWriter':
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_clip(path: str,
               frames: Sequence[Frame],
               fps: Union[int, Fraction],
               codec: str,
               sound: Optional[np.ndarray] = None,
               sample_rate: Optional[int] = None,
               bit_rate: Optional[int] = None) -> None:
    """Encode a whole clip with a :class:`ClipWriter`.

    Args:
        path (str): The ``.mp4`` to write.
        frames (Sequence[av.VideoFrame | np.ndarray]): The frames, all of one
            size; arrays are (H, W, 3) RGB uint8.
        fps (int | Fraction): Frames per second.
        codec (str): Video encoder.
        sound (np.ndarray, optional): Mono samples, (N, ) float32, played
            from the first frame on; needs ``sample_rate``.
        sample_rate (int, optional): Sample rate of ``sound``.
        bit_rate (int, optional): Video bit rate in bit/s.
    """
    first = frames[0]
    size = ((first.shape[1], first.shape[0]) if isinstance(
        first, np.ndarray) else (first.width, first.height))
    with ClipWriter(
            path,
            fps,
            size,
            codec,
            sample_rate=sample_rate if sound is not None else None,
            bit_rate=bit_rate) as writer:
        for frame in frames:
            writer.add_frame(frame)
        if sound is not None:
            writer.add_sound(sound)
