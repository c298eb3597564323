# Copyright (c) mmxkd contributors. All rights reserved.
"""Prepare UCF51, the UCF101 classes with sound, for MMAction2 / mmxkd.

About half of UCF101's classes were recorded with sound. UCF51 keeps them:
this tool opens every video of the chosen official split with PyAV and notes
whether it has an audio stream, then

  - keeps a class when the majority (more than half) of its videos in the
    split's train and test lists have an audio stream,
  - keeps, in those classes, only the videos that do have one (the others are
    counted as dropped),
  - re-indexes the kept classes 0..K-1 in the order of classInd.txt.

Input: UCF101_ROOT/<Class>/v_<Class>_gXX_cYY.avi (UCF101.rar) and the official
split files (UCF101TrainTestSplits-RecognitionTask.zip): SPLITS_DIR is the
ucfTrainTestlist folder or the folder that holds it, with classInd.txt
("1 ApplyEyeMakeup"), trainlist0K.txt ("<Class>/<video>.avi <label>") and
testlist0K.txt ("<Class>/<video>.avi").

Output, in OUT_DIR (K = --split):

  ucf51_train_split_K_videos.txt   "<Class>/<video>.avi <label>", paths
  ucf51_val_split_K_videos.txt     relative to UCF101_ROOT (the test list)
  classes.txt                      kept classes, label = line index
  sound_check.json                 the per-video check, reused by later runs

The paper's UCF51 (split 1) has 51 classes, 4,892 train and 1,944 test
clips; a warning is printed when the number of kept classes differs from
--expect-classes, since a copy of UCF101 can differ.

Videos listed in the split files but missing under UCF101_ROOT stop the tool
(all of them are named). A video that cannot be opened is reported and
counted as having no sound. The check of a video is cached in
sound_check.json with its size and modification time, so running the tool
again (for instance for another split) only opens new or changed videos;
videos that could not be opened are tried again on every run.
"""
import argparse
import json
import os
import os.path as osp
import sys
from collections import Counter
from typing import Dict, List, NamedTuple, Optional, Tuple

import av
from mmengine.utils import mkdir_or_exist

from mmxkd.fileio import save_json, write_lines
from mmxkd.utils.cli import (InputError, add_workers_argument, listing,
                             require_positive, tool_parser)
from mmxkd.utils.parallel import track_map

CACHE_NAME = 'sound_check.json'
CACHE_VERSION = 1
SAVE_EVERY = 1000  # checks between two saves of the cache
PAPER = dict(classes=51, train=4892, test=1944)  # UCF51, split 1


class UCFError(InputError):
    """A problem with the UCF101 files."""


class Entry(NamedTuple):
    """One video of a split file."""
    video: str  # <Class>/<video>.avi, relative to UCF101_ROOT
    class_name: str
    source: str  # <split file>:<line>, for messages


class Check(NamedTuple):
    """Result of opening one video."""
    video: str
    audio: bool
    error: Optional[str]  # why it could not be opened, if it could not


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse and check the command line (``sys.argv[1:]`` by default)."""
    parser = tool_parser(
        __doc__,
        ('ucf101_root',
         'folder of the class folders of UCF101 (UCF-101/ of the rar)'),
        ('splits_dir',
         'the ucfTrainTestlist folder, or the folder holding it'),
        ('out_dir', 'where the lists are written'))
    parser.add_argument(
        '--split',
        type=int,
        default=1,
        choices=(1, 2, 3),
        help='official train/test split (default: 1)')
    add_workers_argument(parser, 'processes opening videos (default: 1)')
    parser.add_argument(
        '--expect-classes',
        type=int,
        default=PAPER['classes'],
        metavar='N',
        help='warn when the number of classes with sound differs '
        '(default: 51, the paper\'s)')
    args = parser.parse_args(argv)
    require_positive(parser, args, 'workers')
    return args


def find_split_files(splits_dir: str, split: int) -> Tuple[str, str, str]:
    """Paths of classInd.txt, trainlist0K.txt and testlist0K.txt."""
    names = ('classInd.txt', f'trainlist0{split}.txt', f'testlist0{split}.txt')
    for folder in (splits_dir, osp.join(splits_dir, 'ucfTrainTestlist')):
        if osp.isfile(osp.join(folder, names[0])):
            paths = tuple(osp.join(folder, name) for name in names)
            missing = [p for p in paths if not osp.isfile(p)]
            if missing:
                raise UCFError('split file(s) not found: ' +
                               ', '.join(missing))
            return paths
    raise UCFError(f'no classInd.txt in {splits_dir} or '
                   f'{osp.join(splits_dir, "ucfTrainTestlist")} (unzip '
                   'UCF101TrainTestSplits-RecognitionTask.zip)')


def read_lines(path: str) -> List[Tuple[int, List[str]]]:
    """The (line number, fields) of the non-empty lines of a text file."""
    # the official files have Windows line ends; split() removes the \r
    with open(path) as f:
        return [(n, line.split()) for n, line in enumerate(f, 1)
                if line.strip()]


def read_classes(path: str) -> List[str]:
    """Class names of classInd.txt, in the order of their index 1..N."""
    classes = []
    for lineno, fields in read_lines(path):
        if (len(fields) != 2 or not fields[0].isdigit()
                or int(fields[0]) != len(classes) + 1):
            raise UCFError(f'{path}:{lineno}: expected "{len(classes) + 1} '
                           f'<class>", got "{" ".join(fields)}"')
        if fields[1] in classes:
            raise UCFError(f'{path}:{lineno}: class {fields[1]} listed twice')
        classes.append(fields[1])
    if not classes:
        raise UCFError(f'{path} lists no class')
    return classes


def read_split(path: str, classes: List[str], labelled: bool) -> List[Entry]:
    """The videos of a train (``labelled``) or test list.

    The class of a video is its folder; a label, where given, must be the
    index of that class in classInd.txt.
    """
    entries = []
    for lineno, fields in read_lines(path):
        where = f'{osp.basename(path)}:{lineno}'
        expected = '"<Class>/<video>.avi' + (' <label>"' if labelled else '"')
        if len(fields) not in ((2, ) if labelled else (1, 2)):
            raise UCFError(f'{path}:{lineno}: expected {expected}, got '
                           f'"{" ".join(fields)}"')
        video = fields[0].replace('\\', '/')
        class_name = video.split('/')[0] if '/' in video else None
        if class_name not in classes:
            raise UCFError(f'{path}:{lineno}: {video} is not in the folder '
                           'of a class of classInd.txt')
        if len(fields) == 2:
            label = fields[1]
            if not label.isdigit() or int(label) != (
                    classes.index(class_name) + 1):
                raise UCFError(
                    f'{path}:{lineno}: label {label} of {video}, but '
                    f'{class_name} is class {classes.index(class_name) + 1} '
                    'in classInd.txt')
        entries.append(Entry(video, class_name, where))
    return entries


def check_files(root: str, entries: List[Entry]) -> None:
    """Raise ``UCFError`` naming every listed video missing under ``root``."""
    missing = [e for e in entries if not osp.isfile(osp.join(root, e.video))]
    if not missing:
        return
    lines = [f'{osp.join(root, e.video)} ({e.source})' for e in missing]
    hint = ''
    if len(missing) == len(entries) and osp.isdir(osp.join(root, 'UCF-101')):
        hint = (f'\n(UCF101_ROOT should be the folder of the class folders: '
                f'{osp.join(root, "UCF-101")}?)')
    raise UCFError(f'{len(missing)} of the {len(entries)} videos listed in '
                   f'the split files are missing under {root}:\n  ' +
                   '\n  '.join(lines) + hint)


def file_key(path: str) -> List[int]:
    """What tells whether a cached check still holds: size and mtime."""
    stat = os.stat(path)
    return [stat.st_size, stat.st_mtime_ns]


def load_cache(path: str) -> Dict[str, dict]:
    """The cached checks of an earlier run (none if absent or unusable)."""
    if not osp.isfile(path):
        return {}
    try:
        with open(path) as f:
            data = json.load(f)
        if data.get('version') != CACHE_VERSION or not isinstance(
                data.get('videos'), dict):
            raise ValueError('unknown format')
        return data['videos']
    except (OSError, ValueError, AttributeError) as err:
        print(
            f'warning: ignoring {path} ({err}); every video is checked again',
            file=sys.stderr)
        return {}


def save_cache(path: str, videos: Dict[str, dict]) -> None:
    """Write the cache atomically."""
    save_json(
        path,
        dict(version=CACHE_VERSION, videos=dict(sorted(videos.items()))),
        indent=0)


def check_audio(job: Tuple[str, str]) -> Check:
    """Whether the video at ``root/video`` has an audio stream."""
    root, video = job
    path = osp.join(root, video)
    try:
        with av.open(path) as container:
            return Check(video, len(container.streams.audio) > 0, None)
    except Exception as err:  # any failure means: not usable as a sound clip
        return Check(video, False, f'{path}: {type(err).__name__}: {err}')


def check_sound(root: str, videos: List[str], cache_path: str,
                workers: int) -> Tuple[Dict[str, bool], List[str], int]:
    """Audio stream or not, for each video; cached in ``cache_path``.

    Returns the result per video, the errors of the videos that could not be
    opened (counted as without sound) and how many results came from the
    cache.
    """
    cache = load_cache(cache_path)
    sound, todo = {}, []
    for video in videos:
        cached = cache.get(video)
        if (isinstance(cached, dict)
                and cached.get('key') == file_key(osp.join(root, video))):
            sound[video] = bool(cached.get('audio'))
        else:
            todo.append(video)
    from_cache = len(sound)
    print(f'sound check: {len(todo)} videos to open, {from_cache} cached '
          f'in {cache_path}')
    errors = []
    changed = 0
    jobs = [(root, video) for video in todo]
    for check in track_map(check_audio, jobs, workers, chunksize=16):
        sound[check.video] = check.audio
        if check.error:
            errors.append(check.error)
        else:
            cache[check.video] = dict(
                key=file_key(osp.join(root, check.video)), audio=check.audio)
            changed += 1
            if changed % SAVE_EVERY == 0:  # keep the work if killed
                save_cache(cache_path, cache)
    if changed:
        save_cache(cache_path, cache)
    return sound, sorted(errors), from_cache


def main(argv: Optional[List[str]] = None) -> None:
    """Check the videos for sound, then write the UCF51 lists."""
    args = parse_args(argv)
    root = args.ucf101_root
    try:
        if not osp.isdir(root):
            raise UCFError(f'UCF101_ROOT {root} is not a folder')
        class_file, train_file, test_file = find_split_files(
            args.splits_dir, args.split)
        classes = read_classes(class_file)
        train = read_split(train_file, classes, labelled=True)
        test = read_split(test_file, classes, labelled=False)
        check_files(root, train + test)
    except UCFError as err:
        sys.exit(f'error: {err}')
    print(f'split {args.split}: {len(classes)} classes, {len(train)} train '
          f'and {len(test)} test videos listed')

    mkdir_or_exist(args.out_dir)
    videos = list(dict.fromkeys(e.video for e in train + test))
    sound, errors, from_cache = check_sound(
        root, videos, osp.join(args.out_dir, CACHE_NAME), args.workers)
    if errors:
        print(
            f'warning: {len(errors)} video(s) could not be opened and count '
            'as without sound:\n  ' + listing(errors),
            file=sys.stderr)

    listed = Counter(e.class_name for e in train + test)
    audible = Counter(e.class_name for e in train + test if sound[e.video])
    kept = [c for c in classes if 2 * audible[c] > listed[c]]
    if not kept:
        sys.exit('error: no class has sound in the majority of its videos')
    label = {c: i for i, c in enumerate(kept)}
    lists = {
        name: [
            f'{e.video} {label[e.class_name]}' for e in entries
            if e.class_name in label and sound[e.video]
        ]
        for name, entries in (('train', train), ('val', test))
    }
    dropped = sum(1 for e in train + test
                  if e.class_name in label and not sound[e.video])

    for name, lines in lists.items():
        write_lines(
            osp.join(args.out_dir,
                     f'ucf51_{name}_split_{args.split}_videos.txt'), lines)
    write_lines(osp.join(args.out_dir, 'classes.txt'), kept)

    silent = [c for c in classes if c not in label]
    print(f'sound check: {len(videos) - from_cache} opened, {from_cache} '
          f'cached, {len(errors)} unreadable')
    print(f'{len(kept)} of {len(classes)} classes have sound; without: ' +
          (', '.join(silent) or 'none'))
    print(f'dropped {dropped} video(s) without sound from the kept classes')
    print(f'split {args.split}: {len(lists["train"])} train, '
          f'{len(lists["val"])} test (val) videos, {len(kept)} classes')
    if len(kept) != args.expect_classes:
        print(
            f'warning: {len(kept)} classes have sound, expected '
            f'{args.expect_classes} (--expect-classes; the paper\'s UCF51 has '
            f'{PAPER["classes"]} classes, {PAPER["train"]:,} train / '
            f'{PAPER["test"]:,} test clips in split 1); the lists are '
            'written anyway, set num_classes in the config to match',
            file=sys.stderr)
    print(f'lists written to {args.out_dir}')


if __name__ == '__main__':
    main()
