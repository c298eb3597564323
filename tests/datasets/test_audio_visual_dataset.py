# Copyright (c) mmxkd contributors. All rights reserved.
"""AudioVisualDataset (list and JSON annotations, tagging lists, file
checks, sound swap) and the LoadTeacherFeature transform."""
import functools
import json
import os
import os.path as osp
import tempfile

import numpy as np
import pytest

import mmxkd
from mmxkd.fileio.media import video_encoder, write_clip
from mmxkd.registry import DATASETS, TRANSFORMS

mmxkd.register_all_modules()

DIM = 4
# errors of the build-time checks: the dataset reports them together
BUILD_ERRORS = (OSError, ValueError)


@functools.lru_cache()
def clip_bytes(num_frames=4):
    """An encoded ``.mp4`` of ``num_frames`` 32x32 frames (the build probes
    every video)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'clip.mp4')
        frames = [np.full((32, 32, 3), 25 * i, np.uint8)
                  for i in range(num_frames)]
        write_clip(path, frames, 8, video_encoder())
        with open(path, 'rb') as f:
            return f.read()


def write_video(root, relpath, content=None):
    path = osp.join(root, relpath)
    (root / relpath).parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'wb') as f:
        f.write(clip_bytes() if content is None else content)
    return path


def write_feat(root, relpath, feat):
    (root / relpath).parent.mkdir(parents=True, exist_ok=True)
    path = osp.join(root, relpath)
    np.save(path, np.asarray(feat))
    return path


def feature(seed, dim=DIM):
    return np.random.RandomState(seed).rand(dim).astype(np.float64)


@pytest.fixture
def dirs(tmp_path):
    video, teacher = tmp_path / 'videos', tmp_path / 'audio_feats'
    video.mkdir()
    teacher.mkdir()
    return tmp_path, video, teacher


def make_list_dataset(dirs, samples=(('a/v1.mp4', 0), ('b/v2.avi', 2),
                                     ('v3.mp4', 1)), teacher=True):
    tmp_path, video, feats = dirs
    lines = []
    for i, (relpath, label) in enumerate(samples):
        write_video(video, relpath)
        write_feat(feats, osp.splitext(relpath)[0] + '.npy', feature(i))
        lines.append(f'{relpath} {label}')
    ann = tmp_path / 'train_list.txt'
    ann.write_text('\n'.join(lines) + '\n')
    prefix = dict(video=str(video))
    if teacher:
        prefix['teacher'] = str(feats)
    return str(ann), prefix


def build(ann_file, data_prefix, **kwargs):
    return DATASETS.build(
        dict(
            type='AudioVisualDataset',
            ann_file=ann_file,
            data_prefix=data_prefix,
            pipeline=[],
            **kwargs))


# --------------------------------------------------------------------------
# list file


def test_list_file_parsing(dirs):
    _, video, feats = dirs
    ann, prefix = make_list_dataset(dirs)
    dataset = build(ann, prefix)
    assert len(dataset) == 3
    infos = [dataset.get_data_info(i) for i in range(3)]
    assert [info['filename'] for info in infos] == [
        osp.join(str(video), 'a/v1.mp4'),
        osp.join(str(video), 'b/v2.avi'),
        osp.join(str(video), 'v3.mp4')
    ]
    assert [info['teacher_feat_path'] for info in infos] == [
        osp.join(str(feats), 'a/v1.npy'),
        osp.join(str(feats), 'b/v2.npy'),
        osp.join(str(feats), 'v3.npy')
    ]
    labels = [info['label'] for info in infos]
    assert labels == [0, 2, 1]
    assert all(type(label) is int for label in labels)


def test_list_file_skips_blank_lines(dirs):
    tmp_path, video, _ = dirs
    write_video(video, 'x.mp4')
    write_video(video, 'y.mp4')
    ann = tmp_path / 'list.txt'
    ann.write_text('x.mp4 1\n\n   \ny.mp4 0\n')
    dataset = build(str(ann), dict(video=str(video)))
    assert [dataset.get_data_info(i)['label'] for i in range(2)] == [1, 0]


def test_no_teacher_prefix_no_teacher_path(dirs):
    ann, prefix = make_list_dataset(dirs, teacher=False)
    dataset = build(ann, prefix, test_mode=True)
    assert len(dataset) == 3
    for i in range(3):
        assert 'teacher_feat_path' not in dataset.get_data_info(i)


def test_no_teacher_prefix_does_not_read_features(dirs):
    # features are not needed (nor checked) for the student alone
    tmp_path, video, _ = dirs
    write_video(video, 'x.mp4')
    ann = tmp_path / 'list.txt'
    ann.write_text('x.mp4 0\n')
    assert len(build(str(ann), dict(video=str(video)))) == 1


def test_custom_delimiter(dirs):
    tmp_path, video, _ = dirs
    write_video(video, 'x.mp4')
    ann = tmp_path / 'list.csv'
    ann.write_text('x.mp4,2\n')
    dataset = build(str(ann), dict(video=str(video)), delimiter=',')
    assert dataset.get_data_info(0)['label'] == 2


@pytest.mark.parametrize('line', ['x.mp4 one', 'x.mp4', 'x.mp4 1 2'])
def test_bad_list_line_raises_with_file_and_line(dirs, line):
    tmp_path, video, _ = dirs
    write_video(video, 'x.mp4')
    write_video(video, 'y.mp4')
    ann = tmp_path / 'list.txt'
    ann.write_text(f'y.mp4 0\n\n{line}\n')
    with pytest.raises(ValueError) as err:
        build(str(ann), dict(video=str(video)))
    assert f'{ann}:3' in str(err.value)
    assert line in str(err.value)


def test_missing_annotation_file(dirs):
    tmp_path, video, _ = dirs
    missing = str(tmp_path / 'nope.txt')
    with pytest.raises(FileNotFoundError, match='nope.txt'):
        build(missing, dict(video=str(video)))


def test_empty_annotation_file(dirs):
    tmp_path, video, _ = dirs
    ann = tmp_path / 'list.txt'
    ann.write_text('\n')
    with pytest.raises(ValueError, match='no samples'):
        build(str(ann), dict(video=str(video)))


# --------------------------------------------------------------------------
# JSON layout


def make_json(dirs, tmpl='{video_id}.mp4'):
    tmp_path, video, feats = dirs
    content = dict(
        labels=['dog', 'guitar', 'rain'],
        database={
            'vid_a': dict(subset='training', annotations=dict(label='rain')),
            'vid_b': dict(subset='validation',
                          annotations=dict(label='dog')),
            'vid_c': dict(subset='training',
                          annotations=dict(label='guitar')),
            'vid_d': dict(subset='testing', annotations=dict(label='dog')),
        })
    for i, (vid, entry) in enumerate(content['database'].items()):
        rel = tmpl.format(video_id=vid, label=entry['annotations']['label'])
        write_video(video, rel)
        write_feat(feats, osp.splitext(rel)[0] + '.npy', feature(i))
    ann = tmp_path / 'anno.json'
    ann.write_text(json.dumps(content))
    return str(ann), dict(video=str(video), teacher=str(feats))


def test_json_training_subset(dirs):
    _, video, feats = dirs
    ann, prefix = make_json(dirs)
    dataset = build(ann, prefix)  # subset defaults to training
    infos = sorted((dataset.get_data_info(i) for i in range(len(dataset))),
                   key=lambda info: info['filename'])
    assert [info['filename'] for info in infos] == [
        osp.join(str(video), 'vid_a.mp4'),
        osp.join(str(video), 'vid_c.mp4')
    ]
    assert [info['label'] for info in infos] == [2, 1]
    assert [info['teacher_feat_path'] for info in infos] == [
        osp.join(str(feats), 'vid_a.npy'),
        osp.join(str(feats), 'vid_c.npy')
    ]


@pytest.mark.parametrize('subset,expected', [('validation', [('vid_b', 0)]),
                                             ('testing', [('vid_d', 0)])])
def test_json_subset_selection(dirs, subset, expected):
    _, video, _ = dirs
    ann, prefix = make_json(dirs)
    dataset = build(ann, prefix, subset=subset)
    got = [(osp.splitext(osp.basename(dataset.get_data_info(i)['filename']))
            [0], dataset.get_data_info(i)['label'])
           for i in range(len(dataset))]
    assert got == expected


def test_json_filename_tmpl(dirs):
    _, video, feats = dirs
    ann, prefix = make_json(dirs, tmpl='{label}/{video_id}.mkv')
    dataset = build(ann, prefix, filename_tmpl='{label}/{video_id}.mkv')
    files = sorted(
        dataset.get_data_info(i)['filename'] for i in range(len(dataset)))
    assert files == [
        osp.join(str(video), 'guitar/vid_c.mkv'),
        osp.join(str(video), 'rain/vid_a.mkv')
    ]
    feat_paths = sorted(
        dataset.get_data_info(i)['teacher_feat_path']
        for i in range(len(dataset)))
    assert feat_paths == [
        osp.join(str(feats), 'guitar/vid_c.npy'),
        osp.join(str(feats), 'rain/vid_a.npy')
    ]


def test_json_errors(dirs):
    tmp_path, video, _ = dirs
    ann, prefix = make_json(dirs)
    with pytest.raises(ValueError, match='subset'):
        build(ann, prefix, subset='train')
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps(dict(database={})))
    with pytest.raises(ValueError, match='labels'):
        build(str(bad), prefix)
    unknown = tmp_path / 'unknown.json'
    unknown.write_text(
        json.dumps(
            dict(
                labels=['dog'],
                database=dict(
                    v=dict(subset='training', annotations=dict(
                        label='cat'))))))
    with pytest.raises(ValueError, match='"cat"'):
        build(str(unknown), prefix)


# --------------------------------------------------------------------------
# build-time checks


def test_missing_video_raises_with_path(dirs):
    ann, prefix = make_list_dataset(dirs)
    missing = osp.join(prefix['video'], 'b/v2.avi')
    os.remove(missing)
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    assert missing in str(err.value)
    assert osp.join(prefix['video'], 'a/v1.mp4') not in str(err.value)


def test_empty_video_raises_with_path(dirs):
    ann, prefix = make_list_dataset(dirs)
    empty = write_video(dirs[1], 'v3.mp4', content=b'')
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    assert empty in str(err.value)


def test_missing_feature_raises_with_path(dirs):
    ann, prefix = make_list_dataset(dirs)
    missing = osp.join(prefix['teacher'], 'a/v1.npy')
    os.remove(missing)
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    assert missing in str(err.value)


def test_corrupt_feature_raises_with_path(dirs):
    ann, prefix = make_list_dataset(dirs)
    corrupt = osp.join(prefix['teacher'], 'b/v2.npy')
    with open(corrupt, 'wb') as f:
        f.write(b'this is not a numpy file at all')
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    assert corrupt in str(err.value)
    assert 'unreadable' in str(err.value)


def test_truncated_feature_raises_with_path(dirs):
    ann, prefix = make_list_dataset(dirs)
    path = osp.join(prefix['teacher'], 'b/v2.npy')
    np.save(path, np.arange(100.0))
    with open(path, 'rb') as f:
        data = f.read()
    with open(path, 'wb') as f:
        f.write(data[:150])
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    assert path in str(err.value)


def test_empty_feature_file_raises_with_path(dirs):
    ann, prefix = make_list_dataset(dirs)
    path = osp.join(prefix['teacher'], 'b/v2.npy')
    open(path, 'wb').close()
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    assert path in str(err.value)


def test_feature_length_mismatch(dirs):
    ann, prefix = make_list_dataset(dirs)
    path = write_feat(dirs[2], 'v3.npy', feature(0, dim=DIM + 2))
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    msg = str(err.value)
    assert path in msg
    assert f'length {DIM + 2}, expected {DIM}' in msg
    # with an explicit teacher_feat_dim every file is compared to it
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix, teacher_feat_dim=DIM + 2)
    msg = str(err.value)
    assert osp.join(prefix['teacher'], 'a/v1.npy') in msg
    assert osp.join(prefix['teacher'], 'b/v2.npy') in msg
    assert path not in msg


def test_matching_teacher_feat_dim_builds(dirs):
    ann, prefix = make_list_dataset(dirs)
    assert len(build(ann, prefix, teacher_feat_dim=DIM)) == 3


@pytest.mark.parametrize('bad', [np.nan, np.inf, -np.inf])
def test_non_finite_feature(dirs, bad):
    ann, prefix = make_list_dataset(dirs)
    feat = feature(5)
    feat[1] = bad
    path = write_feat(dirs[2], 'a/v1.npy', feat)
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    assert path in str(err.value)
    assert 'non-finite' in str(err.value)


def test_feature_not_1d(dirs):
    ann, prefix = make_list_dataset(dirs)
    path = write_feat(dirs[2], 'a/v1.npy', np.zeros((1, DIM)))
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    assert path in str(err.value)
    assert '1-D' in str(err.value)


def test_label_out_of_range(dirs):
    ann, prefix = make_list_dataset(dirs)  # labels 0, 2, 1
    assert len(build(ann, prefix, num_classes=3)) == 3
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix, num_classes=2)
    msg = str(err.value)
    assert 'label 2' in msg
    assert osp.join(prefix['video'], 'b/v2.avi') in msg
    assert '[0, 2)' in msg


def test_negative_label_out_of_range(dirs):
    ann, prefix = make_list_dataset(dirs, samples=(('x.mp4', -1), ))
    with pytest.raises(BUILD_ERRORS, match='label -1'):
        build(ann, prefix, num_classes=3)


def test_all_problems_are_reported_together(dirs):
    ann, prefix = make_list_dataset(dirs)
    os.remove(osp.join(prefix['video'], 'a/v1.mp4'))
    os.remove(osp.join(prefix['teacher'], 'v3.npy'))
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    msg = str(err.value)
    assert osp.join(prefix['video'], 'a/v1.mp4') in msg
    assert osp.join(prefix['teacher'], 'v3.npy') in msg


# --------------------------------------------------------------------------
# LoadTeacherFeature


def test_load_teacher_feature_transform(tmp_path):
    feat = feature(3, dim=7)  # float64 on disk
    path = write_feat(tmp_path, 'f.npy', feat)
    transform = TRANSFORMS.build(dict(type='LoadTeacherFeature'))
    results = transform(dict(teacher_feat_path=path, label=1))
    out = results['teacher_feat']
    assert out.dtype == np.float32
    assert out.shape == (7, )
    np.testing.assert_allclose(out, feat.astype(np.float32))
    assert results['label'] == 1


def test_load_teacher_feature_missing_file(tmp_path):
    transform = TRANSFORMS.build(dict(type='LoadTeacherFeature'))
    missing = str(tmp_path / 'gone.npy')
    with pytest.raises(FileNotFoundError) as err:
        transform(dict(teacher_feat_path=missing))
    assert missing in str(err.value)


def test_load_teacher_feature_needs_path_key():
    transform = TRANSFORMS.build(dict(type='LoadTeacherFeature'))
    with pytest.raises(KeyError, match='teacher_feat_path'):
        transform(dict(filename='x.mp4'))


def test_dataset_with_load_teacher_feature_pipeline(dirs):
    ann, prefix = make_list_dataset(dirs)
    dataset = DATASETS.build(
        dict(
            type='AudioVisualDataset',
            ann_file=ann,
            data_prefix=prefix,
            pipeline=[dict(type='LoadTeacherFeature')]))
    item = dataset[1]
    assert item['teacher_feat'].dtype == np.float32
    np.testing.assert_allclose(item['teacher_feat'],
                               feature(1).astype(np.float32))
    assert item['label'] == 2
    assert item['filename'] == osp.join(prefix['video'], 'b/v2.avi')


# --------------------------------------------------------------------------
# spectrograms (data_prefix.audio)


def _audio_dataset(tmp_path, shapes):
    audio = tmp_path / 'audio'
    lines = []
    for i, shape in enumerate(shapes):
        write_feat(audio, f'c{i}.npy', np.random.rand(*shape))
        lines.append(f'c{i}.mp4 {i % 2}')
    ann = tmp_path / 'audio_list.txt'
    ann.write_text('\n'.join(lines) + '\n')
    return str(ann), dict(audio=str(audio))


def test_audio_only_dataset(tmp_path):
    ann, prefix = _audio_dataset(tmp_path, [(7, 4), (9, 4)])
    dataset = build(ann, prefix)
    info = dataset.get_data_info(1)
    assert info['audio_path'] == osp.join(prefix['audio'], 'c1.npy')
    assert info['relpath'] == 'c1.mp4' and 'filename' not in info


def test_spectrogram_mel_mismatch_and_missing(tmp_path):
    ann, prefix = _audio_dataset(tmp_path, [(7, 4), (9, 5)])
    os.remove(osp.join(prefix['audio'], 'c0.npy'))
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix)
    msg = str(err.value)
    assert f'missing spectrogram: {osp.join(prefix["audio"], "c0.npy")}' in msg
    # the first readable one sets the number of mel bins: nothing to compare
    ann, prefix = _audio_dataset(tmp_path / 'b', [(7, 4), (9, 5)])
    with pytest.raises(BUILD_ERRORS, match='mel bins 5, expected 4'):
        build(ann, prefix)


def test_data_prefix_needs_video_or_audio(tmp_path):
    ann, _ = _audio_dataset(tmp_path, [(7, 4)])
    with pytest.raises(ValueError, match='"video" and/or "audio"'):
        build(ann, dict(teacher=str(tmp_path)))


# --------------------------------------------------------------------------
# multi-label (tagging) list files


def _tagging_list(dirs, lines):
    tmp_path, video, _ = dirs
    for line in lines:
        if line.split():
            write_video(video, line.split()[0])
    ann = tmp_path / 'tags.txt'
    ann.write_text('\n'.join(lines) + '\n')
    return str(ann), dict(video=str(video))


def test_multi_label_list_parsing(dirs):
    ann, prefix = _tagging_list(dirs, ['a.mp4 0 2', '', 'b.mp4 1'])
    dataset = build(ann, prefix, multi_class=True, num_classes=3)
    assert [dataset.get_data_info(i)['relpath']
            for i in range(2)] == ['a.mp4', 'b.mp4']
    # MMAction2's BaseActionDataset one-hot encodes the label lists
    assert dataset.get_data_info(0)['label'].tolist() == [1., 0., 1.]
    assert dataset.get_data_info(1)['label'].tolist() == [0., 1., 0.]


def test_multi_label_range_is_checked_for_each_label(dirs):
    ann, prefix = _tagging_list(dirs, ['a.mp4 0 5', 'b.mp4 -1 1'])
    with pytest.raises(BUILD_ERRORS) as err:
        build(ann, prefix, multi_class=True, num_classes=3)
    msg = str(err.value)
    assert f'label 5 of {osp.join(prefix["video"], "a.mp4")}' in msg
    assert f'label -1 of {osp.join(prefix["video"], "b.mp4")}' in msg
    assert '[0, 3)' in msg


@pytest.mark.parametrize('line', ['x.mp4', 'x.mp4 1 two'])
def test_bad_multi_label_line_raises_with_file_and_line(dirs, line):
    ann, prefix = _tagging_list(dirs, ['y.mp4 0 1', line])
    with pytest.raises(ValueError) as err:
        build(ann, prefix, multi_class=True, num_classes=3)
    assert f'{ann}:2' in str(err.value)
    assert line in str(err.value)
    assert '<label> [<label> ...]' in str(err.value)


def test_multi_label_needs_num_classes(dirs):
    ann, prefix = _tagging_list(dirs, ['a.mp4 0 2'])
    with pytest.raises(ValueError, match='num_classes'):
        build(ann, prefix, multi_class=True)


# --------------------------------------------------------------------------
# sound swap


def _sound_dataset(tmp_path, labels):
    """Clips ``c<i>.mp4`` with a video, a spectrogram and a teacher feature;
    ``labels`` are ints or lists of ints (tagging)."""
    video, audio, feats = (tmp_path / 'videos', tmp_path / 'audio',
                           tmp_path / 'feats')
    lines = []
    for i, label in enumerate(labels):
        write_video(video, f'c{i}.mp4')
        write_feat(audio, f'c{i}.npy', np.full((3, 2), i, np.float32))
        write_feat(feats, f'c{i}.npy', feature(i))
        label = label if isinstance(label, list) else [label]
        lines.append(' '.join([f'c{i}.mp4'] + [str(x) for x in label]))
    ann = tmp_path / 'list.txt'
    ann.write_text('\n'.join(lines) + '\n')
    return str(ann), dict(
        video=str(video), audio=str(audio), teacher=str(feats))


def _infos(dataset):
    return [dataset.get_data_info(i) for i in range(len(dataset))]


def test_sound_swap(tmp_path):
    labels = [i % 4 for i in range(20)]
    ann, prefix = _sound_dataset(tmp_path, labels)
    plain = {info['relpath']: info for info in _infos(build(ann, prefix))}
    assert all(info['sound_relpath'] == relpath and not info['sound_swapped']
               for relpath, info in plain.items())

    infos = _infos(build(ann, prefix, swap_sound_ratio=0.3, swap_sound_seed=1))
    swapped = [info for info in infos if info['sound_swapped']]
    assert len(swapped) == 6  # round(0.3 * 20)
    for info in infos:
        own = plain[info['relpath']]
        # the label and the video stay
        assert info['label'] == own['label']
        assert info['filename'] == own['filename']
        donor = plain[info['sound_relpath']]
        assert info['audio_path'] == donor['audio_path']
        assert info['teacher_feat_path'] == donor['teacher_feat_path']
        if info['sound_swapped']:
            assert donor['label'] != info['label']
        else:
            assert donor is own
    # deterministic for a seed, another seed swaps other samples
    again = _infos(build(ann, prefix, swap_sound_ratio=0.3, swap_sound_seed=1))
    assert again == infos
    other = _infos(build(ann, prefix, swap_sound_ratio=0.3, swap_sound_seed=2))
    assert [i['sound_relpath']
            for i in other] != [i['sound_relpath'] for i in infos]
    everything = _infos(build(ann, prefix, swap_sound_ratio=1.0))
    assert all(info['sound_swapped'] for info in everything)


def test_sound_swap_reaches_the_pipeline(tmp_path):
    ann, prefix = _sound_dataset(tmp_path, [0, 1])
    dataset = DATASETS.build(
        dict(
            type='AudioVisualDataset',
            ann_file=ann,
            data_prefix=prefix,
            pipeline=[dict(type='LoadTeacherFeature')],
            swap_sound_ratio=1.0))
    item = dataset[0]  # c0 gets the sound of c1, the only other class
    assert item['label'] == 0 and item['sound_relpath'] == 'c1.mp4'
    np.testing.assert_allclose(item['teacher_feat'],
                               feature(1).astype(np.float32))


def test_sound_swap_of_tags_takes_a_donor_without_shared_tags(tmp_path):
    labels = [[0, 1], [1, 2], [2, 3], [3, 0], [0], [2], [1], [3]]
    ann, prefix = _sound_dataset(tmp_path, labels)
    # unserialized, data_list keeps the label lists (before the one-hot)
    dataset = build(
        ann,
        prefix,
        swap_sound_ratio=1.0,
        multi_class=True,
        num_classes=4,
        serialize_data=False)
    assert len(dataset.data_list) == len(labels)
    for info in dataset.data_list:
        donor = int(info['sound_relpath'][1:-len('.mp4')])
        assert info['sound_swapped']
        assert not set(info['label']) & set(labels[donor])


@pytest.mark.parametrize('ratio', [-0.1, 1.5, float('nan')])
def test_sound_swap_ratio_must_be_a_fraction(tmp_path, ratio):
    ann, prefix = _sound_dataset(tmp_path, [0, 1])
    with pytest.raises(ValueError, match='swap_sound_ratio'):
        build(ann, prefix, swap_sound_ratio=ratio)


def test_sound_swap_needs_another_class(tmp_path):
    ann, prefix = _sound_dataset(tmp_path, [1, 1, 1])
    with pytest.raises(ValueError, match='swap_sound_ratio') as err:
        build(ann, prefix, swap_sound_ratio=0.5)
    assert 'no sound of another class' in str(err.value)
    # a tag shared with every other sample leaves no donor either
    ann, prefix = _sound_dataset(tmp_path / 'tags', [[0, 1], [1], [0]])
    with pytest.raises(ValueError, match='c0.mp4'):
        build(
            ann, prefix, swap_sound_ratio=1.0, multi_class=True, num_classes=2)


def test_sound_swap_needs_a_sound(dirs):
    ann, prefix = make_list_dataset(dirs, teacher=False)
    with pytest.raises(ValueError, match='"audio" and/or "teacher"'):
        build(ann, prefix, swap_sound_ratio=0.5)
