# Copyright (c) mmxkd contributors. All rights reserved.
"""tools/data/grid/prepare_grid.py on a few real GRID clips."""
import hashlib
import math
import os
import os.path as osp
import sys
from fractions import Fraction
from typing import Dict, List, Tuple

import av
import decord
import pytest

import mmxkd
from mmxkd.fileio.media import frame_span
from mmxkd.registry import DATASETS
from ...conftest import GRID, run_tool
from ._scripts import load_script

pytestmark = pytest.mark.integration

mmxkd.register_all_modules()

TOOL = 'tools/data/grid/prepare_grid.py'
grid = load_script(TOOL)
# several digits and letters, all three splits, and three alignments with
# short pauses ("sp") between words
IDS = ('bbaf2n', 'lbaq5s', 'lwbl8p', 'lgamzp', 'swwv8p', 'bwit1a', 'brbg2n')
SLOTS = ('command', 'colour', 'preposition', 'letter', 'digit', 'adverb')
SPLITS = ('train', 'val', 'test')
MIN_FRAMES = 8


def md5_split(key: str) -> str:
    bucket = int(hashlib.md5(key.encode()).hexdigest(), 16) % 10
    return 'train' if bucket < 7 else 'val' if bucket == 7 else 'test'


def alignment_words(sentence_id: str) -> List[Tuple[str, int, int]]:
    """The six spoken (word, start, end) of a sentence, from its file."""
    words = []
    with open(osp.join(GRID, 'align', f'{sentence_id}.align')) as f:
        for line in f:
            start, end, word = line.split()
            if word not in ('sil', 'sp'):
                words.append((word, int(start), int(end)))
    assert len(words) == 6
    return words


def read_list(path: str) -> List[Tuple[str, int]]:
    with open(path) as f:
        return [(p, int(label)) for p, label in map(str.split, f)]


def read_lines(path: str) -> List[str]:
    with open(path) as f:
        return f.read().splitlines()


def lists(out_dir: str, level: str, slot: str) -> Dict[str, list]:
    return {
        split: read_list(osp.join(out_dir, level, f'{slot}_{split}.txt'))
        for split in SPLITS
    }


def prepare(root: str, out_dir: str, *options: str, check: bool = True):
    return run_tool([sys.executable, TOOL, root, out_dir, *options],
                    check=check)


def link_flat(root: str, ids=IDS) -> None:
    """Layout (a): root/videos/<id>.mp4 and root/align/<id>.align."""
    os.makedirs(osp.join(root, 'videos'))
    os.makedirs(osp.join(root, 'align'))
    for i in ids:
        os.symlink(
            osp.join(GRID, 'videos', f'{i}.mp4'),
            osp.join(root, 'videos', f'{i}.mp4'))
        os.symlink(
            osp.join(GRID, 'align', f'{i}.align'),
            osp.join(root, 'align', f'{i}.align'))


@pytest.fixture(scope='module')
def prepared(tmp_path_factory) -> Tuple[str, str, str]:
    """ROOT, OUT_DIR and the output of one run with two workers."""
    tmp = tmp_path_factory.mktemp('grid')
    root, out_dir = str(tmp / 'root'), str(tmp / 'out')
    link_flat(root)
    proc = prepare(root, out_dir, '--workers', '2', '--min-frames',
                   str(MIN_FRAMES))
    return root, out_dir, proc.stdout


def test_sentence_labels_follow_the_id(prepared):
    root, out_dir, stdout = prepared
    assert read_lines(
        osp.join(out_dir, 'sentence',
                 'video_root.txt')) == [osp.abspath(osp.join(root, 'videos'))]
    for position, slot in enumerate(SLOTS):
        classes = read_lines(
            osp.join(out_dir, 'sentence', f'{slot}_classes.txt'))
        assert classes == list(grid.VOCAB[slot])
        seen = []
        for split, entries in lists(out_dir, 'sentence', slot).items():
            for path, label in entries:
                sentence_id = path[:-len('.mp4')]
                assert osp.isfile(osp.join(root, 'videos', path))
                assert md5_split(sentence_id) == split
                word = classes[label]
                assert grid.id_char(slot, word) == sentence_id[position]
                assert word == alignment_words(sentence_id)[position][0]
                seen.append(sentence_id)
        assert sorted(seen) == sorted(IDS)
    assert {
        split: len(entries)
        for split, entries in lists(out_dir, 'sentence', 'digit').items()
    } == {
        'train': 3,
        'val': 2,
        'test': 2
    }
    assert 'words/letter' in stdout and 'sentence/adverb' in stdout


def test_sentence_tags_are_the_six_words(prepared):
    root, out_dir, stdout = prepared
    classes = read_lines(osp.join(out_dir, 'sentence', 'tags_classes.txt'))
    # every word of every slot, by slot, in the order of {slot}_classes.txt
    assert classes == [
        word for slot in SLOTS for word in read_lines(
            osp.join(out_dir, 'sentence', f'{slot}_classes.txt'))
    ]
    assert len(classes) == len(set(classes)) == 51
    tags = {
        split: read_lines(osp.join(out_dir, 'sentence', f'tags_{split}.txt'))
        for split in SPLITS
    }
    for split, lines in tags.items():
        # the same sentences, in the same order, as the per-slot lists
        assert [line.split()[0] for line in lines] == [
            p for p, _ in lists(out_dir, 'sentence', 'digit')[split]
        ]
        for line in lines:
            path, *labels = line.split()
            words = [word for word, _, _ in alignment_words(path[:-4])]
            assert [classes[int(label)] for label in labels] == words
    assert 'sentence/tags' in stdout

    # read as a tagging task
    dataset = DATASETS.build(
        dict(
            type='AudioVisualDataset',
            ann_file=osp.join(out_dir, 'sentence', 'tags_train.txt'),
            data_prefix=dict(video=osp.join(root, 'videos')),
            pipeline=[],
            multi_class=True,
            num_classes=len(classes)))
    assert len(dataset) == len(tags['train'])
    onehot = dataset.get_data_info(0)['label']
    assert onehot.shape == (51, ) and onehot.sum() == 6
    assert onehot.nonzero().flatten().tolist() == [
        int(label) for label in tags['train'][0].split()[1:]
    ]


def test_word_clips_match_alignments(prepared):
    _, out_dir, _ = prepared
    clip_dir = osp.join(out_dir, 'words', 'clips')
    for position, slot in ((3, 'letter'), (4, 'digit')):
        classes = read_lines(osp.join(out_dir, 'words', f'{slot}_classes.txt'))
        assert len(classes) == (25 if slot == 'letter' else 10)
        seen = []
        for split, entries in lists(out_dir, 'words', slot).items():
            for path, label in entries:
                sentence_id = path.split('_')[0]
                word, start, end = alignment_words(sentence_id)[position]
                assert path == f'{sentence_id}_{slot}_{word}.mp4'
                assert classes[label] == word
                # a sentence's word clips are in the sentence's split
                assert md5_split(sentence_id) == split
                span = math.ceil(end / 1000) - start // 1000
                expected = max(span, MIN_FRAMES)
                clip = osp.join(clip_dir, path)
                assert len(decord.VideoReader(clip)) == expected, path
                with av.open(clip) as container:
                    assert container.streams.video[0].average_rate == 25
                    audio = container.streams.audio[0]
                    assert audio.channels == 1 and audio.rate == 16000
                    seconds = float(audio.duration * audio.time_base)
                assert abs(seconds - expected / 25) < 0.07, (path, seconds)
                seen.append(sentence_id)
        assert sorted(seen) == sorted(IDS)
    assert not [f for f in os.listdir(clip_dir) if 'tmp' in f]


def test_rerun_keeps_existing_clips(prepared):
    root, out_dir, _ = prepared
    clip_dir = osp.join(out_dir, 'words', 'clips')
    mtimes = {
        f: os.stat(osp.join(clip_dir, f)).st_mtime_ns
        for f in os.listdir(clip_dir)
    }
    assert len(mtimes) == 2 * len(IDS)
    proc = prepare(root, out_dir, '--min-frames', str(MIN_FRAMES))
    assert f'0 written, {2 * len(IDS)} already there' in proc.stdout
    assert {
        f: os.stat(osp.join(clip_dir, f)).st_mtime_ns
        for f in os.listdir(clip_dir)
    } == mtimes


def test_official_layout_gives_the_same_labels(prepared, tmp_path):
    _, flat_out, _ = prepared
    root, out_dir = tmp_path / 'GRID', str(tmp_path / 'out')
    (root / 's1').mkdir(parents=True)
    (root / 'alignments' / 's1').mkdir(parents=True)
    for i in IDS:
        # decoders detect the container by content: an .mp4 under .mpg works
        os.symlink(
            osp.join(GRID, 'videos', f'{i}.mp4'), root / 's1' / f'{i}.mpg')
        os.symlink(
            osp.join(GRID, 'align', f'{i}.align'),
            root / 'alignments' / 's1' / f'{i}.align')
    prepare(str(root), out_dir, '--word-slots', 'digit')
    assert read_lines(osp.join(out_dir, 'sentence',
                               'video_root.txt')) == [str(root / 's1')]
    for slot in SLOTS:
        official = lists(out_dir, 'sentence', slot)
        flat = lists(flat_out, 'sentence', slot)
        assert {
            s: [(p.replace('.mpg', '.mp4'), label) for p, label in e]
            for s, e in official.items()
        } == flat
    for split in SPLITS:
        name = osp.join('sentence', f'tags_{split}.txt')
        assert [
            line.replace('.mpg', '.mp4')
            for line in read_lines(osp.join(out_dir, name))
        ] == read_lines(osp.join(flat_out, name))
    assert lists(out_dir, 'words', 'digit') == lists(flat_out, 'words',
                                                     'digit')
    assert not osp.exists(osp.join(out_dir, 'words', 'letter_train.txt'))


def test_mismatched_alignment_fails_naming_the_file(tmp_path):
    root = str(tmp_path / 'root')
    link_flat(root, IDS[:2])
    bad = osp.join(root, 'align', 'lgamzp.align')
    os.symlink(
        osp.join(GRID, 'videos', 'lgamzp.mp4'),
        osp.join(root, 'videos', 'lgamzp.mp4'))
    with open(osp.join(GRID, 'align', 'bbaf2n.align')) as f:
        words = f.read()
    with open(bad, 'w') as f:  # the words of bbaf2n under another id
        f.write(words)
    proc = prepare(root, str(tmp_path / 'out'), check=False)
    assert proc.returncode != 0
    assert bad in proc.stderr and 'bin blue at f two now' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_missing_files_are_reported_and_skipped(tmp_path):
    root, out_dir = str(tmp_path / 'root'), str(tmp_path / 'out')
    link_flat(root, IDS[:3])
    os.remove(osp.join(root, 'align', f'{IDS[0]}.align'))
    os.remove(osp.join(root, 'videos', f'{IDS[1]}.mp4'))
    proc = prepare(root, out_dir, '--word-slots')
    assert f'skipped 1 videos without an alignment: {IDS[0]}' in proc.stderr
    assert f'skipped 1 alignments without a video: {IDS[1]}' in proc.stderr
    listed = [
        p for e in lists(out_dir, 'sentence', 'digit').values() for p, _ in e
    ]
    assert listed == [f'{IDS[2]}.mp4']
    assert not osp.exists(osp.join(out_dir, 'words'))

    os.remove(osp.join(root, 'align', f'{IDS[2]}.align'))
    proc = prepare(root, out_dir, check=False)
    assert proc.returncode != 0 and 'no sentence has both' in proc.stderr


def test_undecodable_video_is_reported_and_left_out(tmp_path):
    root, out_dir = str(tmp_path / 'root'), str(tmp_path / 'out')
    link_flat(root, IDS[:2])
    broken = osp.join(root, 'videos', f'{IDS[0]}.mp4')
    os.remove(broken)
    with open(broken, 'wb') as f:
        f.write(b'not a video' * 100)
    proc = prepare(root, out_dir, '--word-slots', 'digit')
    assert broken in proc.stderr and '1 video(s) could not be cut' in (
        proc.stderr)
    listed = [
        p for e in lists(out_dir, 'words', 'digit').values() for p, _ in e
    ]
    assert listed == [f'{IDS[1]}_digit_five.mp4']
    assert os.listdir(osp.join(out_dir, 'words', 'clips')) == listed


def test_unknown_layout_names_what_was_looked_for(tmp_path):
    proc = prepare(str(tmp_path), str(tmp_path / 'out'), check=False)
    assert proc.returncode != 0
    assert osp.join(str(tmp_path), 'videos') in proc.stderr
    assert osp.join(str(tmp_path), 's<N>') in proc.stderr


def test_frame_span_widens_inside_the_video():
    """GRID's rule: every frame a word touches, widened to min_frames."""

    def span(start, end, num_frames, min_frames):  # in GRID time units
        return frame_span(
            Fraction(start, grid.UNITS_PER_SECOND),
            Fraction(end, grid.UNITS_PER_SECOND),
            25,
            num_frames,
            min_frames,
            cover=True)

    # bbaf2n "two": 41000-47250 -> frames [41, 48); an odd widening puts the
    # extra frame after
    assert span(41000, 47250, 75, 1) == (41, 48)
    assert span(41000, 47250, 75, 8) == (41, 49)
    assert span(41000, 47250, 75, 10) == (40, 50)
    assert span(0, 1000, 75, 8) == (0, 8)  # at the start
    assert span(74000, 75000, 75, 8) == (67, 75)  # at the end
    assert span(73000, 76000, 74, 1) == (73, 74)  # past the end
    assert span(0, 75000, 5, 8) == (0, 5)  # shorter than 8
    assert span(80000, 81000, 75, 1) == (74, 75)  # after the end: last frame


def test_all_words_are_one_51_way_task(prepared, tmp_path):
    """--word-slots all: every slot's word clips, and one list of all the
    words of each sentence, labelled in the sorted 51-word vocabulary."""
    root, flat_out, _ = prepared
    out_dir = str(tmp_path / 'out')
    proc = prepare(root, out_dir, '--word-slots', 'all', '--workers', '2',
                   '--min-frames', str(MIN_FRAMES))
    classes = read_lines(osp.join(out_dir, 'words', 'all_classes.txt'))
    assert len(classes) == len(set(classes)) == 51
    assert classes == sorted(classes)
    assert set(classes) == set(
        read_lines(osp.join(flat_out, 'sentence', 'tags_classes.txt')))
    clip_dir = osp.join(out_dir, 'words', 'clips')
    every = lists(out_dir, 'words', 'all')
    sentences = {}
    for split, entries in every.items():
        for path, label in entries:
            sentence_id, slot, word = path[:-len('.mp4')].split('_')
            assert word == alignment_words(sentence_id)[SLOTS.index(slot)][0]
            assert classes[label] == word
            assert osp.isfile(osp.join(clip_dir, path))
            assert md5_split(sentence_id) == split
            sentences.setdefault(sentence_id, []).append((split, slot))
    # each sentence: its six words, in slot order, all in one split
    assert sorted(sentences) == sorted(IDS)
    for sentence_id, seen in sentences.items():
        assert seen == [(md5_split(sentence_id), slot) for slot in SLOTS]
    ids_of = {
        split: {path.split('_')[0]
                for path, _ in entries}
        for split, entries in every.items()
    }
    assert all(ids_of[split] for split in SPLITS)
    assert not (ids_of['train'] & ids_of['val'] or ids_of['train']
                & ids_of['test'] or ids_of['val'] & ids_of['test'])
    # the per-slot lists are written as for a list of slots, and the
    # all-word lists hold exactly their clips
    for slot in SLOTS:
        per_slot = lists(out_dir, 'words', slot)
        slot_classes = read_lines(
            osp.join(out_dir, 'words', f'{slot}_classes.txt'))
        assert slot_classes == list(grid.VOCAB[slot])
        for split in SPLITS:
            assert [(p, classes.index(slot_classes[label]))
                    for p, label in per_slot[split]
                    ] == [(p, label) for p, label in every[split]
                          if p.split('_')[1] == slot]
    assert lists(out_dir, 'words', 'digit') == lists(flat_out, 'words',
                                                     'digit')
    assert len(os.listdir(clip_dir)) == 6 * len(IDS)
    assert 'words/all' in proc.stdout
