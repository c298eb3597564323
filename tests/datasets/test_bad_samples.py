# Copyright (c) mmxkd contributors. All rights reserved.
"""Bad inputs found when AudioVisualDataset is built: video probes (and
their cache), teacher feature statistics, skip_bad_samples, and errors of
the pipeline naming the sample."""
import json
import os
import os.path as osp
import shutil

import av
import numpy as np
import pytest

import mmxkd
from mmxkd.datasets import (SampleLoadError, feature_norms, sample_checks,
                            video_probe)
from mmxkd.registry import DATASETS
from ..conftest import GRID
from .test_audio_visual_dataset import (BUILD_ERRORS, clip_bytes, feature,
                                        write_feat, write_video)

mmxkd.register_all_modules()

CLIPS = ('a/v1.mp4', 'v2.mp4', 'v3.mp4')
GRID_CLIP = osp.join(GRID, 'videos',
                     sorted(os.listdir(osp.join(GRID, 'videos')))[0])


@pytest.fixture
def dataset_dir(tmp_path):
    """Three 4-frame clips with 4-d teacher features, and their list."""
    for i, relpath in enumerate(CLIPS):
        write_video(tmp_path / 'videos', relpath)
        write_feat(tmp_path / 'feats', osp.splitext(relpath)[0] + '.npy',
                   feature(i))
    ann = tmp_path / 'train.txt'
    ann.write_text(''.join(f'{relpath} {i}\n'
                           for i, relpath in enumerate(CLIPS)))
    return tmp_path


def video(root, relpath='v2.mp4'):
    return osp.join(root, 'videos', relpath)


def feat(root, stem='v2'):
    return osp.join(root, 'feats', f'{stem}.npy')


def build(root, pipeline=(), **kwargs):
    return DATASETS.build(
        dict(
            type='AudioVisualDataset',
            ann_file=str(root / 'train.txt'),
            data_prefix=dict(
                video=str(root / 'videos'), teacher=str(root / 'feats')),
            pipeline=list(pipeline),
            **kwargs))


@pytest.fixture
def logged(monkeypatch):
    """The messages the dataset's checks print, as (level, message)."""
    messages = []

    def record(msg, logger=None, level=20):
        messages.append((level, msg))

    for module in (sample_checks, feature_norms):
        monkeypatch.setattr(module, 'print_log', record)
    return messages


@pytest.fixture
def probe_calls(monkeypatch):
    """The paths probe_clip is called on (probes run here: few videos)."""
    calls = []
    real = video_probe.probe_clip

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(video_probe, 'probe_clip', counting)
    return calls


def truncate(path, fraction=0.6):
    with open(path, 'rb') as f:
        data = f.read()
    with open(path, 'wb') as f:
        f.write(data[:int(len(data) * fraction)])


def write_faststart_clip(path, num_frames=8):
    """A clip whose index precedes its frames, as streaming sites serve
    them: cut short, it still opens."""
    rng = np.random.default_rng(0)
    with av.open(path, 'w', format='mp4',
                 options={'movflags': 'faststart'}) as out:
        stream = out.add_stream('mpeg4', rate=8)
        stream.width = stream.height = 32
        stream.pix_fmt = 'yuv420p'
        for _ in range(num_frames):
            frame = rng.integers(0, 255, (32, 32, 3), np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(frame, 'rgb24')))
        out.mux(stream.encode(None))


def write_audio_only(path):
    with av.open(path, 'w', format='mp4') as out:
        stream = out.add_stream('aac', rate=8000)
        stream.layout = 'mono'
        chunk = av.AudioFrame.from_ndarray(
            np.zeros((1, 8000), np.float32), format='fltp', layout='mono')
        chunk.sample_rate, chunk.pts = 8000, 0
        out.mux(stream.encode(chunk))
        out.mux(stream.encode(None))


# --------------------------------------------------------------------------
# probe_clip


def test_probe_clip_of_a_good_clip(dataset_dir):
    assert video_probe.probe_clip(video(dataset_dir)) == dict(
        frames=4, fps=8.0)


def test_probe_clip_errors(tmp_path):
    path = str(tmp_path / 'x.mp4')
    write_faststart_clip(path)
    assert video_probe.probe_clip(path)['frames'] == 8
    truncate(path, 0.7)
    assert video_probe.probe_clip(path)['error'].startswith(
        'truncated (its header lists 8 frames, the file holds ')
    write_audio_only(path)
    assert video_probe.probe_clip(path) == dict(error='no video stream')
    with open(path, 'wb') as f:
        f.write(b'\x00\x00\x00\x18ftypmp42 and then nothing')
    assert video_probe.probe_clip(path)['error'].startswith(
        'unreadable or corrupt (')


# --------------------------------------------------------------------------
# videos at build


def test_truncated_video_is_named_at_build(dataset_dir):
    truncate(video(dataset_dir))
    with pytest.raises(BUILD_ERRORS) as err:
        build(dataset_dir)
    msg = str(err.value)
    assert f'bad video {video(dataset_dir)}: unreadable or corrupt' in msg
    assert video(dataset_dir, 'v3.mp4') not in msg
    assert 'skip_bad_samples=True' in msg


@pytest.mark.parametrize('faststart', [True, False])
@pytest.mark.parametrize('cut', [1, 100])
def test_probe_finds_a_cut_in_the_last_packet(tmp_path, faststart, cut):
    path = str(tmp_path / 'x.mp4')
    if faststart:
        write_faststart_clip(path, num_frames=16)
    else:  # a real GRID clip (H.264 + AAC, its index last)
        shutil.copy(GRID_CLIP, path)
    assert 'frames' in video_probe.probe_clip(path)
    with open(path, 'rb') as f:
        data = f.read()
    with open(path, 'wb') as f:
        f.write(data[:-cut])
    assert video_probe.probe_clip(path)['error'].startswith('truncated (')


def test_truncated_faststart_video_is_named_at_build(dataset_dir):
    write_faststart_clip(video(dataset_dir))
    truncate(video(dataset_dir), 0.7)
    with pytest.raises(BUILD_ERRORS,
                       match=f'bad video {video(dataset_dir)}: truncated'):
        build(dataset_dir)


def test_video_without_video_stream(dataset_dir):
    write_audio_only(video(dataset_dir))
    with pytest.raises(BUILD_ERRORS,
                       match=f'{video(dataset_dir)}: no video stream'):
        build(dataset_dir)


def test_video_shorter_than_the_training_clip(dataset_dir):
    sample = dict(type='SampleFrames', clip_len=4, frame_interval=2)
    with pytest.raises(BUILD_ERRORS) as err:
        build(dataset_dir, [sample])  # the clips have 4 frames, 8 needed
    msg = str(err.value)
    for relpath in CLIPS:
        assert (f'video {video(dataset_dir, relpath)} has 4 frames, shorter '
                'than the training clip of the pipeline (SampleFrames '
                'clip_len 4 x frame_interval 2 = 8 frames)') in msg
    # long enough, or a test-mode clip (sampled differently): no problem
    assert len(build(dataset_dir, [dict(sample, frame_interval=1)])) == 3
    assert len(build(dataset_dir, [dict(sample, test_mode=True)])) == 3


def test_probe_videos_off(dataset_dir, probe_calls):
    truncate(video(dataset_dir))
    assert len(build(dataset_dir, probe_videos=False)) == 3
    assert probe_calls == []


def test_probe_cache_is_reused_and_invalidated(dataset_dir, probe_calls):
    build(dataset_dir)
    assert sorted(probe_calls) == sorted(
        video(dataset_dir, relpath) for relpath in CLIPS)
    cache = dataset_dir / 'train.txt.video_probe.json'
    assert set(json.loads(cache.read_text())['videos']) == {
        osp.abspath(video(dataset_dir, relpath))
        for relpath in CLIPS
    }
    probe_calls.clear()
    build(dataset_dir)
    assert probe_calls == []  # every probe came from the cache
    # a changed file (new size) is probed again and its new state counts
    write_video(dataset_dir / 'videos', 'v2.mp4', clip_bytes(num_frames=9))
    sample = dict(type='SampleFrames', clip_len=4, frame_interval=2)
    with pytest.raises(BUILD_ERRORS) as err:
        build(dataset_dir, [sample])
    assert probe_calls == [video(dataset_dir)]
    assert video(dataset_dir) not in str(err.value)  # 9 frames: long enough
    assert video(dataset_dir, 'v3.mp4') in str(err.value)
    # a touched file (same size, new mtime) too
    probe_calls.clear()
    stat = os.stat(video(dataset_dir, 'v3.mp4'))
    os.utime(
        video(dataset_dir, 'v3.mp4'),
        ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    build(dataset_dir)
    assert probe_calls == [video(dataset_dir, 'v3.mp4')]


def test_probe_cache_keeps_errors(dataset_dir, probe_calls):
    truncate(video(dataset_dir))
    for _ in range(2):
        with pytest.raises(BUILD_ERRORS, match='unreadable or corrupt'):
            build(dataset_dir)
    assert probe_calls.count(video(dataset_dir)) == 1


def test_probe_cache_dir(dataset_dir, tmp_path_factory, probe_calls):
    cache_dir = tmp_path_factory.mktemp('cache')
    build(dataset_dir, cache_dir=str(cache_dir))
    assert (cache_dir / 'train.txt.video_probe.json').is_file()
    assert not (dataset_dir / 'train.txt.video_probe.json').exists()
    probe_calls.clear()
    build(dataset_dir, cache_dir=str(cache_dir))
    assert probe_calls == []


def test_broken_probe_cache_is_ignored(dataset_dir, probe_calls,
                                       monkeypatch):
    build(dataset_dir)
    (dataset_dir / 'train.txt.video_probe.json').write_text('{"trunc')
    probe_calls.clear()
    messages = []
    monkeypatch.setattr(video_probe, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    build(dataset_dir)
    assert len(probe_calls) == 3
    assert any('ignoring the video probe cache' in m for m in messages)


def test_unwritable_probe_cache_is_warned_about(dataset_dir, monkeypatch):
    blocker = dataset_dir / 'not_a_folder'
    blocker.write_text('')
    messages = []
    monkeypatch.setattr(video_probe, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    assert len(build(dataset_dir, cache_dir=str(blocker))) == 3
    assert any('could not write the video probe cache' in m
               for m in messages)


@pytest.mark.integration
def test_probes_in_worker_processes(dataset_dir, monkeypatch):
    monkeypatch.setattr(video_probe, 'PARALLEL_AFTER', 2)
    cache_dir = dataset_dir / 'cache'
    truncate(video(dataset_dir))
    with pytest.raises(BUILD_ERRORS) as err:
        build(dataset_dir, probe_workers=2, cache_dir=str(cache_dir))
    assert f'bad video {video(dataset_dir)}' in str(err.value)
    entries = json.loads(
        (cache_dir / 'train.txt.video_probe.json').read_text())['videos']
    assert entries[osp.abspath(video(dataset_dir, 'v3.mp4'))]['probe'][
        'frames'] == 4


# --------------------------------------------------------------------------
# teacher features


def test_all_zero_feature_is_an_error(dataset_dir):
    write_feat(dataset_dir / 'feats', 'v2.npy', np.zeros(4, np.float32))
    with pytest.raises(BUILD_ERRORS) as err:
        build(dataset_dir)
    assert f'all-zero teacher feature: {feat(dataset_dir)}' in str(err.value)


def test_wrong_size_of_the_first_feature_names_it(dataset_dir):
    # the most common length is expected, not the first file's
    first = write_feat(dataset_dir / 'feats', 'a/v1.npy', feature(0, dim=6))
    with pytest.raises(BUILD_ERRORS) as err:
        build(dataset_dir)
    msg = str(err.value)
    assert f'{first} has length 6, expected 4' in msg
    assert feat(dataset_dir) not in msg


def test_feature_statistics_line(dataset_dir, logged):
    for i, stem in enumerate(('a/v1', 'v2', 'v3')):
        write_feat(dataset_dir / 'feats', f'{stem}.npy',
                   np.full(4, i + 1, np.float32))  # norms 2, 4, 6
    build(dataset_dir)
    lines = [msg for _, msg in logged if 'L2 norm' in msg]
    assert lines == [
        f'3 teacher features in {dataset_dir / "train.txt"}: L2 norm min 2 '
        '/ median 4 / max 6'
    ]
    assert all(level < 30 for level, _ in logged)  # no warning


def test_extreme_feature_norm_is_warned_about(dataset_dir, logged):
    large = write_feat(dataset_dir / 'feats', 'v3.npy', feature(2) * 1e6)
    assert len(build(dataset_dir)) == 3
    warnings = [msg for level, msg in logged if level >= 30]
    assert len(warnings) == 1
    assert f'the largest teacher feature, {large},' in warnings[0]
    assert 'a broken extraction?' in warnings[0]


# --------------------------------------------------------------------------
# skip_bad_samples


def test_skip_bad_samples_writes_a_report(dataset_dir, logged):
    truncate(video(dataset_dir))
    write_feat(dataset_dir / 'feats', 'v3.npy', np.zeros(4, np.float32))
    dataset = build(dataset_dir, skip_bad_samples=True)
    assert [dataset.get_data_info(i)['relpath']
            for i in range(len(dataset))] == ['a/v1.mp4']
    report = dataset_dir / 'train.txt.bad_samples.json'
    content = json.loads(report.read_text())
    assert content['num_samples'] == 3
    dropped = {entry['relpath']: entry['problems']
               for entry in content['dropped']}
    assert set(dropped) == {'v2.mp4', 'v3.mp4'}
    assert dropped['v2.mp4'][0].startswith(f'bad video {video(dataset_dir)}')
    assert dropped['v3.mp4'] == [
        f'all-zero teacher feature: {feat(dataset_dir, "v3")}'
    ]
    assert any(f'the report is {report}' in msg and level >= 30
               for level, msg in logged)


def test_skip_bad_samples_on_a_read_only_dataset_logs_the_report(
        dataset_dir, logged, monkeypatch):
    truncate(video(dataset_dir))

    def read_only(path, *args, **kwargs):
        raise OSError(30, 'Read-only file system', path)

    monkeypatch.setattr(sample_checks, 'save_json', read_only)
    dataset = build(dataset_dir, skip_bad_samples=True)
    assert len(dataset) == 2
    report = dataset_dir / 'train.txt.bad_samples.json'
    message, = (msg for level, msg in logged
                if msg.startswith('skip_bad_samples: dropped'))
    assert (f'the report could not be written to {report} (Read-only file '
            'system; give the dataset a writable cache_dir)') in message
    assert '"relpath": "v2.mp4"' in message


def test_skip_bad_samples_with_every_sample_bad(dataset_dir):
    for relpath in CLIPS:
        truncate(video(dataset_dir, relpath))
    with pytest.raises(BUILD_ERRORS, match='every sample is bad'):
        build(dataset_dir, skip_bad_samples=True)


def test_skip_bad_samples_off_writes_no_report(dataset_dir):
    truncate(video(dataset_dir))
    with pytest.raises(BUILD_ERRORS):
        build(dataset_dir)
    assert not (dataset_dir / 'train.txt.bad_samples.json').exists()


# --------------------------------------------------------------------------
# errors while loading a sample


def test_pipeline_error_names_the_sample_and_the_transform(dataset_dir):
    # a corrupt video that the build did not probe
    truncate(video(dataset_dir))
    dataset = build(
        dataset_dir, [dict(type='DecordInit'),
                      dict(type='LoadTeacherFeature')],
        probe_videos=False)
    assert 'teacher_feat' in dataset[0]
    with pytest.raises(SampleLoadError) as err:
        dataset[1]
    msg = str(err.value)
    assert f'filename {video(dataset_dir)}' in msg
    assert f'teacher_feat_path {feat(dataset_dir)}' in msg
    assert 'DecordInit failed with' in msg
    assert err.value.__cause__ is not None
