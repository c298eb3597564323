# Copyright (c) mmxkd contributors. All rights reserved.
"""Cut ActivityNet v1.3 into trimmed segments (200 classes) with their sound.

Every annotated segment of a training or validation video becomes its own
clip, OUT_DIR/clips/<id>_<k>.mp4 (k: the index of the annotation in the
video's list), with the video's sound when it has an audio stream; the
testing subset has no labels and is ignored. Input:

  ANNOTATION_JSON  activity_net.v1-3.min.json: {"database": {"<id>":
                   {"subset": "training" | "validation" | "testing",
                   "duration": s, "annotations": [{"segment": [start, end],
                   "label": "<class>"}, ...]}, ...}, ...}
  VIDEO_ROOT       the downloaded videos, v_<id>.<ext> or <id>.<ext> with ext
                   one of .mp4 .mkv .webm, anywhere below VIDEO_ROOT

Output, in OUT_DIR:

  clips/<id>_<k>.mp4               the segments
  activitynet_train_segments.txt   "<id>_<k>.mp4 <label>", paths relative to
  activitynet_val_segments.txt     OUT_DIR/clips
  classes.txt                      every label of the training and validation
                                   annotations, sorted; label = line index
  missing_videos.txt               ids without a video (only if there are any)

Segment rule: with fps the video's frame rate and N its number of frames
(its duration times fps), segment [start, end] (seconds) is frames
[round(start * fps), round(end * fps)) clamped to [0, N), i.e. clamped to the
video's duration. Segments of fewer than --min-frames frames are skipped and
counted. Clips are encoded at the source frame rate (constant; H.264 with
libx264, or MPEG-4 part 2 where PyAV has no x264) and size (rounded down to
even), with the sound as mono AAC at the source sample rate.

Ids without a video are reported (and written to missing_videos.txt) and
skipped; the tool stops if no video is found. A video that cannot be decoded
is reported and its segments are left out of the lists. Clips are written
atomically and existing ones are kept, so an interrupted run can be started
again (run one instance per OUT_DIR at a time); the lists are rewritten on
every run from the clips that exist.
"""
import argparse
import json
import os
import os.path as osp
import sys
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Dict, List, NamedTuple, Optional, Tuple

import av
from mmengine.utils import mkdir_or_exist

from mmxkd.fileio import remove_stale_temp_files, write_lines
from mmxkd.fileio.media import (ClipWriter, Sound, decode_sound, decode_video,
                                frame_span, probe_video, video_encoder)
from mmxkd.utils.cli import (InputError, add_workers_argument,
                             require_positive, shown, tool_parser)
from mmxkd.utils.parallel import track_map

VIDEO_EXTS = ('.mp4', '.mkv', '.webm')  # in order of preference
SUBSETS = {'training': 'train', 'validation': 'val'}
REFERENCE = dict(train=15232, val=7555, classes=200)


class ANetError(InputError):
    """A problem with the ActivityNet files."""


class Segment(NamedTuple):
    """One annotated segment of a video."""
    index: int  # k: position in the video's annotation list
    start: float  # seconds
    end: float
    label: str


@dataclass
class Video:
    """A training or validation video of the annotation file."""
    video_id: str
    split: str  # 'train' or 'val'
    duration: float  # seconds, from the annotation file
    segments: List[Segment]
    path: Optional[str] = None  # the downloaded file, if found


@dataclass
class Job:
    """The clips still to cut from one video."""
    video_id: str
    path: str
    duration: float
    clips: List[Tuple[str, Segment]]  # (output path, segment)


class Result(NamedTuple):
    """What became of the clips of one job."""
    video_id: str
    written: int
    short: List[str]  # '<id>_<k> (<n> frames)' of the skipped segments
    error: Optional[str]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse and check the command line (``sys.argv[1:]`` by default)."""
    parser = tool_parser(__doc__,
                         ('annotation_json', 'activity_net.v1-3.min.json'),
                         ('video_root', 'the downloaded videos'),
                         ('out_dir', 'where the clips and lists go'))
    parser.add_argument(
        '--min-frames',
        type=int,
        default=16,
        metavar='N',
        help='shortest segment kept, in frames (default: 16)')
    add_workers_argument(parser, 'processes cutting videos (default: 1)')
    args = parser.parse_args(argv)
    require_positive(parser, args, 'min_frames', 'workers')
    return args


def read_annotations(path: str) -> List[Video]:
    """The training and validation videos with their segments."""
    try:
        with open(path) as f:
            data = json.load(f)
    except OSError as err:
        raise ANetError(f'cannot read {path}: {err}') from None
    except ValueError as err:
        raise ANetError(f'{path} is not JSON: {err}') from None
    database = data.get('database') if isinstance(data, dict) else None
    if not isinstance(database, dict):
        raise ANetError(f'{path} has no "database" object (expected '
                        'ActivityNet\'s activity_net.v1-3.min.json)')
    videos = []
    for video_id, entry in database.items():
        where = f'{path}: video {video_id}'
        if not isinstance(entry, dict) or 'subset' not in entry:
            raise ANetError(f'{where}: no "subset"')
        if entry['subset'] not in SUBSETS:
            continue  # testing: no labels
        segments = []
        for k, ann in enumerate(entry.get('annotations', [])):
            try:
                start, end = (float(t) for t in ann['segment'])
                label = ann['label']
                if not isinstance(label, str) or not label:
                    raise ValueError
            except (KeyError, TypeError, ValueError):
                raise ANetError(f'{where}: annotation {k} is not '
                                '{"segment": [start, end], "label": '
                                f'"<class>"}}: {ann}') from None
            segments.append(Segment(k, start, end, label))
        try:
            duration = float(entry.get('duration', 0))
        except (TypeError, ValueError):
            raise ANetError(f'{where}: bad duration '
                            f'{entry.get("duration")!r}') from None
        videos.append(
            Video(video_id, SUBSETS[entry['subset']], duration, segments))
    if not videos:
        raise ANetError(f'{path} has no training or validation video')
    return sorted(videos, key=lambda v: v.video_id)


def find_videos(root: str, videos: List[Video]) -> List[Video]:
    """Fill in ``path`` of the videos found under ``root``; returns the
    videos that have none."""
    if not osp.isdir(root):
        raise ANetError(f'VIDEO_ROOT {root} is not a folder')
    files: Dict[str, List[Tuple[int, str]]] = {}
    for folder, _, names in os.walk(root, followlinks=True):
        for name in names:
            stem, ext = osp.splitext(name)
            if ext.lower() in VIDEO_EXTS and not name.startswith('.'):
                files.setdefault(stem, []).append(
                    (VIDEO_EXTS.index(ext.lower()), osp.join(folder, name)))
    missing = []
    for video in videos:
        found = files.get(f'v_{video.video_id}') or files.get(video.video_id)
        if found:
            video.path = min(found)[1]
        else:
            missing.append(video)
    return missing


class SegmentClip:
    """Encodes the frames [first, stop) of a video (and their sound) into
    ``path``, atomically.

    Frames are placed by their index in the video: a frame after a gap is
    repeated to fill it and a second frame for the same index is dropped, so
    the clip has a constant frame rate and its sound stays in step.
    """

    def __init__(self, path: str, first: int, stop: int, fps: Fraction,
                 size: Tuple[int, int], t0: float, sound: Optional[Sound],
                 codec: str):
        self.path, self.first, self.stop = path, first, stop
        self.sound = sound
        if sound is not None:  # the track's sample at the clip's start
            self.offset = round(
                (t0 + first / fps - sound.start) * sound.rate)
        self.writer = ClipWriter(
            path,
            fps,
            size,
            codec,
            sample_rate=sound.rate if sound is not None else None,
            bit_rate=None if codec == 'libx264' else 4_000_000,
            options={
                'preset': 'veryfast',
                'crf': '20'
            } if codec == 'libx264' else None)

    def add(self, index: int, frame: av.VideoFrame) -> None:
        """Encode ``frame`` as frame ``index`` of the video (and as each
        frame of a gap before it)."""
        writer = self.writer
        while writer.frames <= index - self.first:
            writer.add_frame(frame)
            if self.sound is not None:  # the sound up to the frame's end
                total = round(writer.frames / writer.fps * self.sound.rate)
                writer.add_sound(
                    self.sound.between(self.offset + writer.samples,
                                       self.offset + total))

    def finish(self, min_frames: int) -> int:
        """Close the clip; keep it if it has ``min_frames`` frames."""
        count = self.writer.frames
        self.writer.close(keep=count >= min_frames)
        return count

    def abort(self) -> None:
        """Drop the clip."""
        self.writer.abort()


def cut_video(job: Job, min_frames: int, codec: str) -> Result:
    """Cut the clips of one video; never raises for a bad video."""
    writers: List[SegmentClip] = []
    short, written = [], 0
    try:
        info = probe_video(job.path)
        fps, t0 = info.fps, info.start
        duration = job.duration if info.duration is None else info.duration
        num_frames = max(round(duration * fps), 0)
        spans = []
        for path, segment in job.clips:
            first, stop = frame_span(segment.start, segment.end, fps,
                                     num_frames)
            if stop - first < min_frames:
                short.append(f'{job.video_id}_{segment.index} '
                             f'({stop - first} frames)')
            else:
                spans.append((first, stop, path))
        if not spans:
            return Result(job.video_id, 0, short, None)
        sound = decode_sound(job.path, missing_ok=True)
        spans.sort()
        todo, last = list(spans), max(stop for _, stop, _ in spans)
        for index, frame in decode_video(job.path, fps, t0, spans[0][0]):
            if index >= last:
                break
            for writer in [w for w in writers if index >= w.stop]:
                writers.remove(writer)
                written += finish(writer, min_frames, short)
            while todo and todo[0][0] <= index:
                first, stop, path = todo.pop(0)
                if index < stop:
                    writers.append(
                        SegmentClip(path, first, stop, fps, info.size, t0,
                                    sound, codec))
                else:  # no frame of the video falls in it
                    short.append(f'{osp.basename(path)[:-4]} (0 frames)')
            for writer in writers:
                writer.add(index, frame)
        for writer in writers:
            written += finish(writer, min_frames, short)
        writers = []
        for first, stop, path in todo:  # the video ended before them
            short.append(f'{osp.basename(path)[:-4]} (0 frames)')
    except Exception as err:  # a broken download must not stop the run
        for writer in writers:
            writer.abort()
        return Result(job.video_id, written, short,
                      f'{job.path}: {type(err).__name__}: {err}')
    return Result(job.video_id, written, short, None)


def finish(writer: SegmentClip, min_frames: int, short: List[str]) -> int:
    """Close a clip; 1 if it was kept, 0 (and noted as short) if not."""
    count = writer.finish(min_frames)
    if count >= min_frames:
        return 1
    short.append(f'{osp.basename(writer.path)[:-4]} ({count} frames)')
    return 0


def run_jobs(jobs: List[Job], min_frames: int,
             workers: int) -> Tuple[int, List[str], List[str]]:
    """Cut all clips; returns the number written, the short segments and
    the errors of the videos that failed."""
    codec = video_encoder()
    print(f'cutting {sum(len(j.clips) for j in jobs)} segments of '
          f'{len(jobs)} videos (video codec {codec}, audio aac)')
    cut = partial(cut_video, min_frames=min_frames, codec=codec)
    written, short, errors = 0, [], []
    for result in track_map(cut, jobs, workers):
        written += result.written
        short += result.short
        if result.error:
            errors.append(result.error)
            print(f'\nwarning: {result.error}', file=sys.stderr)
    return written, sorted(short), sorted(errors)


def main(argv: Optional[List[str]] = None) -> None:
    """Find the videos, cut the segments and write the lists."""
    args = parse_args(argv)
    try:
        videos = read_annotations(args.annotation_json)
        missing = find_videos(args.video_root, videos)
        if len(missing) == len(videos):
            raise ANetError(
                f'none of the {len(videos)} training and validation videos '
                f'is in {args.video_root} (looked for v_<id> or <id> with '
                f'extension {" ".join(VIDEO_EXTS)})')
    except ANetError as err:
        sys.exit(f'error: {err}')
    classes = sorted({s.label for v in videos for s in v.segments})
    label = {c: i for i, c in enumerate(classes)}
    clip_dir = osp.join(args.out_dir, 'clips')
    mkdir_or_exist(clip_dir)
    remove_stale_temp_files(clip_dir)  # left by a killed run

    missing_file = osp.join(args.out_dir, 'missing_videos.txt')
    if missing:
        write_lines(missing_file, [v.video_id for v in missing])
        print(
            f'warning: skipped {len(missing)} of {len(videos)} videos that '
            f'are not in {args.video_root} ({missing_file}): '
            f'{shown([v.video_id for v in missing])}',
            file=sys.stderr)
    elif osp.exists(missing_file):
        os.remove(missing_file)
    found = [v for v in videos if v.path]

    jobs, kept = [], 0
    for video in found:
        job = Job(video.video_id, video.path, video.duration, [])
        for segment in video.segments:
            path = osp.join(clip_dir, f'{video.video_id}_{segment.index}.mp4')
            if osp.isfile(path):
                kept += 1
            else:
                job.clips.append((path, segment))
        if job.clips:
            jobs.append(job)
    written, short, errors = run_jobs(jobs, args.min_frames,
                                      args.workers) if jobs else (0, [], [])

    lists: Dict[str, List[str]] = {split: [] for split in SUBSETS.values()}
    for video in found:
        for segment in video.segments:
            name = f'{video.video_id}_{segment.index}.mp4'
            if osp.isfile(osp.join(clip_dir, name)):
                lists[video.split].append(f'{name} {label[segment.label]}')
    for split, lines in lists.items():
        write_lines(
            osp.join(args.out_dir, f'activitynet_{split}_segments.txt'),
            lines)
    write_lines(osp.join(args.out_dir, 'classes.txt'), classes)

    total = sum(len(v.segments) for v in videos)
    print(f'{len(videos)} training/validation videos with {total} '
          f'segments in {args.annotation_json}; {len(found)} videos found, '
          f'{len(missing)} missing')
    print(f'clips: {written} written, {kept} already there')
    if short:
        print(f'skipped {len(short)} segment(s) shorter than '
              f'{args.min_frames} frames in the video: {shown(short)}')
    if errors:
        print(
            f'warning: {len(errors)} video(s) could not be cut; their '
            'segments are left out of the lists:\n  ' + '\n  '.join(errors),
            file=sys.stderr)
    print(f'{len(lists["train"])} train and {len(lists["val"])} val segments, '
          f'{len(classes)} classes (reference: {REFERENCE["train"]:,} / '
          f'{REFERENCE["val"]:,}, {REFERENCE["classes"]} classes)')
    print(f'lists written to {args.out_dir}; clips in {clip_dir}')


if __name__ == '__main__':
    main()
