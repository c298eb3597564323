# Copyright (c) mmxkd contributors. All rights reserved.
"""Prepare the GRID audio-visual corpus for MMAction2 / mmxkd.

Every GRID sentence is "command colour preposition letter digit adverb" and
the six letters of its id spell it (bbaf2n = "bin blue at f two now"; the
digit is written as the digit, or z for zero). This tool checks the videos
against GRID's word alignments and writes:

  sentence level   OUT_DIR/sentence/{slot}_{train,val,test}.txt, one task per
                   slot (command, colour, preposition, letter, digit, adverb),
                   paths relative to the video folder, which is written to
                   OUT_DIR/sentence/video_root.txt (configs:
                   data_prefix.video=<that folder>), plus {slot}_classes.txt
  sentence tags    OUT_DIR/sentence/tags_{train,val,test}.txt, the same
                   sentences and split, each with the six words it says as
                   labels in the vocabulary OUT_DIR/sentence/tags_classes.txt
                   (all words of all slots, by slot, then as in
                   {slot}_classes.txt): a multi-label (tagging) task
  word level       for each slot of --word-slots, the word's time span cut from
                   each video, with its sound, into
                   OUT_DIR/words/clips/<id>_<slot>_<word>.mp4, listed in
                   OUT_DIR/words/{slot}_{train,val,test}.txt (paths relative
                   to OUT_DIR/words/clips), plus {slot}_classes.txt
  all words        with --word-slots all: every slot's word clips, and also
                   OUT_DIR/words/all_{train,val,test}.txt, the six word clips
                   of each sentence in one 51-way task, labelled by the word's
                   line in OUT_DIR/words/all_classes.txt (the 51 words of all
                   slots, sorted alphabetically)

All lists but the tags are in MMAction2's "<video> <label>" format; the label
is the line index of the word in {slot}_classes.txt (all_classes.txt for the
all-word lists). Tag lists have
"<video> <label> <label> ..." lines (datasets with multi_class=True,
num_classes=51), the labels being line indices in tags_classes.txt.

Input layouts (found automatically unless --video-dir/--align-dir are given):
  (a) ROOT/videos/<id>.mp4 and ROOT/align/<id>.align (a re-encoded copy)
  (b) GRID's own: ROOT/<speaker>/**/<id>.mpg (s1.mpg_vcd.zip; also nested, as
      in s1/video/mpg_6000/) with alignments in ROOT/alignments/<speaker>,
      ROOT/<speaker>/align or ROOT/align (the first that exists). Speakers
      are the folders ROOT/s<N> unless --speakers names them. With more than
      one speaker, ids are written as <speaker>/<id> to stay unique.

Split rule (by sentence, so a sentence never spans two splits and its word
clips follow it): int(hashlib.md5(id.encode()).hexdigest(), 16) % 10 gives
0-6 train, 7 val, 8-9 test, where id is <id> or, with several speakers,
<speaker>/<id>.

Word spans: [start, end) of the alignment (1/25000 s units) in frames of the
video (1 frame = 1000 units at 25 fps), widened symmetrically to at least
--min-frames frames inside the video. Clips are written atomically and
existing ones are kept, so an interrupted run can be started again.
"""
import argparse
import hashlib
import os
import os.path as osp
import re
import sys
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Dict, List, Optional, Sequence, Tuple

import av
from mmengine.utils import mkdir_or_exist

from mmxkd.fileio import write_lines
from mmxkd.fileio.media import (Sound, decode_sound, decode_video, frame_span,
                                probe_video, video_encoder, write_clip)
from mmxkd.utils.cli import (InputError, add_workers_argument, listing,
                             require_positive, shown, tool_parser)
from mmxkd.utils.parallel import track_map

SLOTS = ('command', 'colour', 'preposition', 'letter', 'digit', 'adverb')
VOCAB: Dict[str, Tuple[str, ...]] = {
    'command': ('bin', 'lay', 'place', 'set'),
    'colour': ('blue', 'green', 'red', 'white'),
    'preposition': ('at', 'by', 'in', 'with'),
    'letter':
    tuple('abcdefghijklmnopqrstuvxyz'),
    'digit': ('zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven',
              'eight', 'nine'),
    'adverb': ('again', 'now', 'please', 'soon'),
}
# the tag vocabulary: every word of every slot, by slot
TAG_OFFSETS: Dict[str, int] = {
    slot: sum(len(VOCAB[s]) for s in SLOTS[:i])
    for i, slot in enumerate(SLOTS)
}
TAG_CLASSES: Tuple[str, ...] = tuple(w for slot in SLOTS for w in VOCAB[slot])
# the all-word vocabulary (--word-slots all): the same 51 words, sorted
ALL_WORDS = 'all'
ALL_CLASSES: Tuple[str, ...] = tuple(sorted(TAG_CLASSES))
SPLITS = ('train', 'val', 'test')
SILENCE = ('sil', 'sp')  # GRID marks silence and short pauses
UNITS_PER_SECOND = 25000  # GRID alignment time unit: 1/25000 s
VIDEO_EXTS = ('.mp4', '.mpg', '.mpeg', '.avi')


class GridError(InputError):
    """A problem with the GRID files."""


@dataclass
class Source:
    """The videos and alignments of one speaker (``None``: unnamed)."""
    speaker: Optional[str]
    video_dir: str
    align_dir: str


@dataclass
class Sentence:
    """One checked sentence: its video and the time span of each word."""
    key: str  # the id, or <speaker>/<id> with several speakers
    video: str
    words: Dict[str, Tuple[str, int, int]]  # slot -> (word, start, end)


@dataclass
class WordJob:
    """The word clips still to cut from one video."""
    key: str
    video: str
    clips: List[Tuple[str, int, int]]  # (output path, start, end)


def id_char(slot: str, word: str) -> str:
    """The letter that stands for ``word`` of ``slot`` in a sentence id."""
    if slot == 'digit':
        return 'z' if word == 'zero' else str(VOCAB['digit'].index(word))
    return word[0]


ID_CHARS: Dict[str, Dict[str, str]] = {
    slot: {
        id_char(slot, word): word
        for word in words
    }
    for slot, words in VOCAB.items()
}


def parse_id(sentence_id: str) -> Optional[Dict[str, str]]:
    """The words spelled by a sentence id, or ``None`` if it is not one."""
    if len(sentence_id) != len(SLOTS):
        return None
    words = {}
    for slot, char in zip(SLOTS, sentence_id):
        if char not in ID_CHARS[slot]:
            return None
        words[slot] = ID_CHARS[slot][char]
    return words


def split_of(key: str) -> str:
    """The split of a sentence: md5 of its key, modulo 10 (0-6/7/8-9)."""
    bucket = int(hashlib.md5(key.encode()).hexdigest(), 16) % 10
    return 'train' if bucket < 7 else 'val' if bucket == 7 else 'test'


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse and check the command line (``sys.argv[1:]`` by default).

    ``--word-slots all`` becomes the six slots, with ``all_words`` set.
    """
    parser = tool_parser(__doc__,
                         ('root', 'the GRID folder (see layouts above)'),
                         ('out_dir', 'where the lists and clips go'))
    parser.add_argument(
        '--video-dir',
        metavar='NAME',
        help='folder of the videos, relative to ROOT, searched recursively; '
        '"{speaker}" in it is replaced by each of --speakers')
    parser.add_argument(
        '--align-dir',
        metavar='NAME',
        help='folder of the .align files, relative to ROOT; "{speaker}" '
        'as for --video-dir')
    parser.add_argument(
        '--speakers',
        nargs='+',
        metavar='SPEAKER',
        help='speaker folders to use, e.g. s1 s2 (default: every ROOT/s<N> '
        'in layout (b))')
    parser.add_argument(
        '--word-slots',
        nargs='*',
        default=['digit', 'letter'],
        choices=SLOTS + (ALL_WORDS, ),
        help='slots to cut word-level clips for (none: no word clips); '
        f'"{ALL_WORDS}": every slot, plus the {len(ALL_CLASSES)}-way lists '
        f'words/{ALL_WORDS}_*.txt of all their words')
    parser.add_argument(
        '--min-frames',
        type=int,
        metavar='N',
        default=8,
        help='shortest word clip, in frames')
    add_workers_argument(parser, 'processes cutting clips')
    args = parser.parse_args(argv)
    require_positive(parser, args, 'min_frames', 'workers')
    args.all_words = ALL_WORDS in args.word_slots
    if args.all_words:
        args.word_slots = list(SLOTS)
    for option in ('video_dir', 'align_dir'):
        name = getattr(args, option)
        if name and '{speaker}' in name and not args.speakers:
            parser.error(f'--{option.replace("_", "-")} "{name}" names '
                         '{speaker}: give --speakers')
        if (name and '{speaker}' not in name and args.speakers
                and len(args.speakers) > 1):
            parser.error(f'--{option.replace("_", "-")} "{name}" must '
                         'contain {speaker} to tell several speakers apart')
    return args


def find_sources(root: str, video_dir: Optional[str], align_dir: Optional[str],
                 speakers: Optional[List[str]]) -> List[Source]:
    """Resolve the video and alignment folder of each speaker."""
    if not osp.isdir(root):
        raise GridError(f'ROOT {root} is not a folder')
    if video_dir:
        names = speakers or [None]
        video_dirs = [
            osp.join(root, video_dir.format(speaker=s)) for s in names
        ]
    elif not speakers and osp.isdir(osp.join(root, 'videos')):
        names, video_dirs = [None], [osp.join(root, 'videos')]
    else:
        names = speakers or sorted(
            (d for d in os.listdir(root)
             if re.fullmatch(r's\d+', d) and osp.isdir(osp.join(root, d))),
            key=lambda d: int(d[1:]))
        if not names:
            raise GridError(
                f'no GRID videos found under {root}: looked for layout (a) '
                f'{osp.join(root, "videos")}/<id>.mp4 and layout (b) speaker '
                f'folders {osp.join(root, "s<N>")}/ (or give --video-dir)')
        video_dirs = [osp.join(root, s) for s in names]
    missing = [d for d in video_dirs if not osp.isdir(d)]
    if missing:
        raise GridError('video folder(s) not found: ' + ', '.join(missing))

    sources = []
    for speaker, vdir in zip(names, video_dirs):
        if align_dir:
            candidates = [osp.join(root, align_dir.format(speaker=speaker))]
        elif speaker is None and not video_dir:
            candidates = [osp.join(root, 'align')]
        else:
            candidates = ([
                osp.join(root, 'alignments', speaker),
                osp.join(root, speaker, 'align')
            ] if speaker else []) + [osp.join(root, 'align')]
        found = [d for d in candidates if osp.isdir(d)]
        if not found:
            raise GridError('no alignment folder found' +
                            (f' for speaker {speaker}' if speaker else '') +
                            ': looked for ' + ', '.join(candidates) +
                            ' (or give --align-dir)')
        sources.append(Source(speaker, vdir, found[0]))
    shared = {s.align_dir for s in sources}
    if len(shared) < len(sources):
        raise GridError('several speakers would share one alignment folder (' +
                        ', '.join(sorted(shared)) +
                        '); give each speaker its own, e.g. '
                        '--align-dir alignments/{speaker}')
    return sources


def list_files(folder: str, exts: Sequence[str],
               recursive: bool) -> Dict[str, str]:
    """Map sentence id -> file for the files in ``folder`` with ``exts``."""
    if recursive:
        paths = [
            osp.join(d, f) for d, _, files in os.walk(folder) for f in files
        ]
    else:
        paths = [osp.join(folder, f) for f in os.listdir(folder)]
    found: Dict[str, str] = {}
    for path in sorted(paths):
        stem, ext = osp.splitext(osp.basename(path))
        # hidden files include the ._<id>.mpg that macOS zips carry
        if ext.lower() not in exts or stem.startswith('.'):
            continue
        if parse_id(stem) is None:
            raise GridError(f'{path}: "{stem}" is not a GRID sentence id')
        if stem in found:
            raise GridError(f'two files for sentence {stem}: {found[stem]} '
                            f'and {path}')
        found[stem] = path
    return found


def read_alignment(path: str,
                   sentence_id: str) -> Dict[str, Tuple[str, int, int]]:
    """The (word, start, end) of each slot in a GRID ``.align`` file.

    Raises ``GridError`` naming ``path`` unless it holds exactly six words
    besides silence that are the words spelled by ``sentence_id``.
    """
    entries = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            try:
                start, end, word = int(fields[0]), int(fields[1]), fields[2]
                if len(fields) != 3 or end < start:
                    raise ValueError
            except (ValueError, IndexError):
                raise GridError(
                    f'{path}:{lineno}: expected "start end word" '
                    f'with start <= end, got "{line.strip()}"') from None
            if word not in SILENCE:
                entries.append((word, start, end))
    spoken = ' '.join(word for word, _, _ in entries)
    if len(entries) != len(SLOTS):
        raise GridError(f'{path}: expected {len(SLOTS)} words besides '
                        f'{"/".join(SILENCE)}, got {len(entries)}: "{spoken}"')
    expected = parse_id(sentence_id)
    for slot, (word, _, _) in zip(SLOTS, entries):
        if word not in VOCAB[slot]:
            raise GridError(f'{path}: "{word}" is not a {slot} '
                            f'({"/".join(VOCAB[slot])}) in "{spoken}"')
        if word != expected[slot]:
            raise GridError(
                f'{path}: says "{spoken}" but its id {sentence_id} means "' +
                ' '.join(expected[s] for s in SLOTS) + '"')
    return dict(zip(SLOTS, entries))


def collect_sentences(sources: List[Source]) -> List[Sentence]:
    """Pair videos with alignments and check every alignment."""
    qualify = len(sources) > 1
    sentences, problems = [], []
    no_align, no_video = [], []
    for source in sources:
        videos = list_files(source.video_dir, VIDEO_EXTS, recursive=True)
        aligns = list_files(source.align_dir, ('.align', ), recursive=False)
        print(f'{len(videos)} videos in {source.video_dir}, '
              f'{len(aligns)} alignments in {source.align_dir}')
        prefix = f'{source.speaker}/' if qualify else ''
        no_align += [prefix + i for i in sorted(set(videos) - set(aligns))]
        no_video += [prefix + i for i in sorted(set(aligns) - set(videos))]
        for sentence_id in sorted(set(videos) & set(aligns)):
            try:
                words = read_alignment(aligns[sentence_id], sentence_id)
            except GridError as err:
                problems.append(str(err))
                continue
            sentences.append(
                Sentence(prefix + sentence_id,
                         osp.abspath(videos[sentence_id]), words))
    if problems:
        raise GridError(f'{len(problems)} bad alignment file(s):\n  ' +
                        listing(problems))
    for what, ids in (('videos without an alignment', no_align),
                      ('alignments without a video', no_video)):
        if ids:
            print(
                f'warning: skipped {len(ids)} {what}: {shown(ids)}',
                file=sys.stderr)
    if not sentences:
        raise GridError('no sentence has both a video and an alignment')
    return sentences


def write_task(folder: str, name: str, classes: Sequence[str],
               entries: List[Tuple[str, str, str]]) -> Dict[str, int]:
    """Write the split lists ``{name}_{split}.txt`` and ``{name}_classes.txt``
    of one task; count per split.

    ``entries`` are (sentence key, relative video path, word); the label of
    a word is its index in ``classes``.
    """
    counts = {}
    for split in SPLITS:
        lines = [
            f'{path} {classes.index(word)}' for key, path, word in entries
            if split_of(key) == split
        ]
        write_lines(osp.join(folder, f'{name}_{split}.txt'), lines)
        counts[split] = len(lines)
    write_lines(osp.join(folder, f'{name}_classes.txt'), list(classes))
    return counts


def write_tags(folder: str, sentences: List[Sentence],
               paths: List[str]) -> Dict[str, int]:
    """Write the split lists and classes of the sentence tags; count per
    split.

    ``paths`` are the sentences' videos relative to the video root.
    """
    counts = {}
    for split in SPLITS:
        lines = [
            ' '.join([path] + [
                str(TAG_OFFSETS[slot] +
                    VOCAB[slot].index(sentence.words[slot][0]))
                for slot in SLOTS
            ]) for sentence, path in zip(sentences, paths)
            if split_of(sentence.key) == split
        ]
        write_lines(osp.join(folder, f'tags_{split}.txt'), lines)
        counts[split] = len(lines)
    write_lines(osp.join(folder, 'tags_classes.txt'), list(TAG_CLASSES))
    return counts


def decode(path: str) -> Tuple[List[av.VideoFrame], Fraction, Sound, int]:
    """All frames and all sound (downmixed to mono) of a video.

    Returns:
        The frames, the frame rate, the sound and the start of the sound
        after the first frame, in samples.
    """
    info = probe_video(path)
    frames = [frame for _, frame in decode_video(path, info.fps, info.start)]
    sound = decode_sound(path)
    if not frames:
        raise GridError(f'{path}: no video frames decoded')
    offset = round((sound.start - (frames[0].time or 0.0)) * sound.rate)
    return frames, info.fps, sound, offset


def cut_words(job: WordJob, min_frames: int,
              codec: str) -> Tuple[str, Optional[str]]:
    """Cut a video's word clips; returns its key and an error, if any."""
    try:
        frames, fps, sound, offset = decode(job.video)
        rate = sound.rate
        for path, start, end in job.clips:
            first, stop = frame_span(
                Fraction(start, UNITS_PER_SECOND),
                Fraction(end, UNITS_PER_SECOND),
                fps,
                len(frames),
                min_frames,
                cover=True)
            # the sound of the same time span, silence where there is none
            lo = round(first / fps * rate) - offset
            write_clip(
                path,
                frames[first:stop],
                fps,
                codec,
                sound.between(lo, round(stop / fps * rate) - offset),
                rate,
                bit_rate=2_000_000 if codec == 'mpeg4' else None)
    except (av.error.FFmpegError, ValueError, GridError) as err:
        return job.key, f'{job.video}: {err}'
    return job.key, None


def run_jobs(jobs: List[WordJob], min_frames: int, workers: int) -> List[str]:
    """Cut all word clips; returns the keys of the videos that failed."""
    codec = video_encoder()
    print(f'cutting word clips from {len(jobs)} videos '
          f'(video codec {codec}, audio aac)')
    cut = partial(cut_words, min_frames=min_frames, codec=codec)
    failed = []
    for key, error in track_map(cut, jobs, workers):
        if error:
            failed.append(key)
            print(f'\nwarning: {error}', file=sys.stderr)
    return failed


def prepare_words(sentences: List[Sentence], out_dir: str, slots: List[str],
                  min_frames: int, workers: int,
                  all_words: bool) -> Dict[str, Dict[str, int]]:
    """Cut (or keep) the word clips and write their lists; count per split.

    With ``all_words``, also the list of every word clip of ``slots`` (a
    sentence's in slot order) labelled in ``ALL_CLASSES``.
    """
    clip_dir = osp.join(out_dir, 'words', 'clips')
    entries = {slot: [] for slot in slots}
    jobs, kept = [], 0
    for sentence in sentences:
        job = WordJob(sentence.key, sentence.video, [])
        for slot in slots:
            word, start, end = sentence.words[slot]
            relpath = f'{sentence.key}_{slot}_{word}.mp4'
            path = osp.join(clip_dir, relpath)
            entries[slot].append((sentence.key, relpath, word))
            if osp.isfile(path):
                kept += 1
            else:
                mkdir_or_exist(osp.dirname(path))
                job.clips.append((path, start, end))
        if job.clips:
            jobs.append(job)
    failed = set(run_jobs(jobs, min_frames, workers)) if jobs else set()
    if failed:
        print(
            f'warning: {len(failed)} video(s) could not be cut; their word '
            'clips are left out of the lists',
            file=sys.stderr)
    written = sum(len(job.clips) for job in jobs if job.key not in failed)
    print(f'word clips: {written} written, {kept} already there')
    word_dir = osp.join(out_dir, 'words')
    kept_entries = {
        slot: [e for e in entries[slot] if e[0] not in failed]
        for slot in slots
    }
    counts = {
        f'words/{slot}': write_task(word_dir, slot, VOCAB[slot],
                                    kept_entries[slot])
        for slot in slots
    }
    if all_words:
        # kept_entries[slot][i] is the i-th kept sentence's word of slot
        by_sentence = [
            e for sentence_entries in zip(*kept_entries.values())
            for e in sentence_entries
        ]
        counts[f'words/{ALL_WORDS}'] = write_task(word_dir, ALL_WORDS,
                                                  ALL_CLASSES, by_sentence)
    return counts


def main(argv: Optional[List[str]] = None) -> None:
    """Check the corpus, then write the lists and the word clips."""
    args = parse_args(argv)
    try:
        sources = find_sources(args.root, args.video_dir, args.align_dir,
                               args.speakers)
        sentences = collect_sentences(sources)
    except GridError as err:
        sys.exit(f'error: {err}')
    video_root = osp.abspath(osp.commonpath([s.video_dir for s in sources]))
    sentence_dir = osp.join(args.out_dir, 'sentence')
    mkdir_or_exist(sentence_dir)
    write_lines(osp.join(sentence_dir, 'video_root.txt'), [video_root])
    relpaths = [osp.relpath(s.video, video_root) for s in sentences]
    counts = {
        f'sentence/{slot}':
        write_task(sentence_dir, slot, VOCAB[slot],
                   [(s.key, path, s.words[slot][0])
                    for s, path in zip(sentences, relpaths)])
        for slot in SLOTS
    }
    counts['sentence/tags'] = write_tags(sentence_dir, sentences, relpaths)
    if args.word_slots:
        counts.update(
            prepare_words(sentences, args.out_dir,
                          list(dict.fromkeys(args.word_slots)),
                          args.min_frames, args.workers, args.all_words))
    print(f'{len(sentences)} sentences; clips per split:')
    print(f'{"task":<22}' + ''.join(f'{s:>7}' for s in SPLITS))
    for task, per_split in counts.items():
        print(f'{task:<22}' + ''.join(f'{per_split[s]:>7}' for s in SPLITS))
    print(f'lists written to {args.out_dir}')


if __name__ == '__main__':
    main()
