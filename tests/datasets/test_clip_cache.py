# Copyright (c) mmxkd contributors. All rights reserved.
"""ClipCacheInit / ClipCacheDecode give the frames of live decoding, bit for
bit, on real GRID clips; entries are rebuilt when the video changes or the
entry breaks; build_clip_cache fills the cache of a config."""
import copy
import os
import os.path as osp
import random
import shutil
import subprocess
import sys

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.dataset import Compose

import mmxkd  # noqa: F401
from mmxkd.datasets.transforms import ClipCacheDecode, ClipCacheInit
from mmxkd.datasets.transforms.clip_cache_init import entry_paths
from ..conftest import GRID, ROOT, run_tool
from ..tools.data._scripts import load_script

build_clip_cache = load_script(
    'tools/data/build_clip_cache.py').build_clip_cache

CLIPS = ('bbaf2n', 'lgamzp', 'swwv8p')
MOUTH = (120, 165, 240, 255)
# frame_interval 8 over the sentence; 8 consecutive frames
BASES = ('grid_command_8x32.py', 'grid_command_word_8x32.py')


def live_version(pipeline: list) -> list:
    """The pipeline with the cache steps replaced by what they replace."""
    live = []
    for step in pipeline:
        if step['type'] == 'ClipCacheInit':
            live.append(dict(type='DecordInit'))
            crop = step['crop']
        elif step['type'] == 'ClipCacheDecode':
            live += [dict(type='DecordDecode'), dict(type='RegionCrop',
                                                     box=crop)]
        else:
            live.append(step)
    return live


def run(pipeline: list, filename: str, seed: int) -> dict:
    # SampleFrames draws from numpy, RandomResizedCrop from both
    np.random.seed(seed)
    random.seed(seed)
    return Compose(copy.deepcopy(pipeline))(
        dict(filename=filename, label=0, start_index=0, modality='RGB'))


@pytest.fixture
def videos(tmp_path):
    """Copies of some committed clips (their mtime may be changed)."""
    folder = tmp_path / 'videos'
    folder.mkdir()
    for clip in CLIPS:
        shutil.copy(osp.join(GRID, 'videos', f'{clip}.mp4'), folder)
    return folder


@pytest.mark.integration
@pytest.mark.parametrize('base', BASES)
@pytest.mark.parametrize('split', ('train', 'val'))
def test_cached_pipelines_match_live_decoding(base, split, videos, tmp_path):
    cfg = Config.fromfile(osp.join(ROOT, 'configs/_base_/datasets', base))
    pipeline = copy.deepcopy(cfg[f'{split}_pipeline'])
    assert pipeline[0] == dict(
        type='ClipCacheInit', cache_dir=cfg.clip_cache_dir, crop=MOUTH)
    pipeline[0]['cache_dir'] = str(tmp_path / 'cache')
    live = live_version(pipeline)
    for clip in CLIPS:
        filename = str(videos / f'{clip}.mp4')
        # twice: the first read builds the entry, the second maps it
        for seed in (0, 1):
            expected = run(live, filename, seed)
            got = run(pipeline, filename, seed)
            assert got['inputs'].dtype == expected['inputs'].dtype
            assert np.array_equal(got['inputs'].numpy(),
                                  expected['inputs'].numpy()), (clip, seed)
    assert len(os.listdir(tmp_path / 'cache')) == 2 * len(CLIPS)


def decode(filename: str, cache_dir: str, frame_inds, crop=MOUTH) -> dict:
    results = ClipCacheInit(cache_dir, crop)(dict(filename=filename))
    results['frame_inds'] = np.asarray(frame_inds)
    return ClipCacheDecode()(results)


@pytest.mark.integration
def test_keys_as_decord_and_region_crop_set_them(videos, tmp_path):
    filename = str(videos / 'bbaf2n.mp4')
    live = Compose([
        dict(type='DecordInit'),
        dict(type='DecordDecode'),
        dict(type='RegionCrop', box=MOUTH)
    ])
    # 2-D indices are squeezed, negative ones count from the end
    inds = np.array([[0, 5, 74, -1, -75]])
    expected = live(dict(filename=filename, frame_inds=inds.copy()))
    got = decode(filename, str(tmp_path / 'cache'), inds.copy())
    for key in ('total_frames', 'avg_fps', 'original_shape', 'img_shape',
                'crop_bbox'):
        assert got[key] == expected[key], key
    assert got['original_shape'] == (288, 360)
    assert got['img_shape'] == (90, 120)
    np.testing.assert_array_equal(got['frame_inds'], expected['frame_inds'])
    assert all(
        np.array_equal(a, b) for a, b in zip(got['imgs'], expected['imgs']))
    assert 'clip_cache' not in got

    whole = decode(filename, str(tmp_path / 'whole'), [3], crop=None)
    assert whole['imgs'][0].shape == (288, 360, 3)
    assert 'crop_bbox' not in whole
    with pytest.raises(IndexError, match='bbaf2n.mp4'):
        decode(filename, str(tmp_path / 'cache'), [75])


@pytest.mark.integration
def test_edited_video_is_decoded_again(videos, tmp_path):
    filename, cache = str(videos / 'bbaf2n.mp4'), str(tmp_path / 'cache')
    first = decode(filename, cache, [10])['imgs'][0]
    old_npy, _ = entry_paths(filename, cache, MOUTH)
    # another clip's bytes, a new mtime
    shutil.copy(videos / 'lgamzp.mp4', filename)
    stat = os.stat(filename)
    os.utime(filename, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    new_npy, _ = entry_paths(filename, cache, MOUTH)
    assert new_npy != old_npy and not osp.exists(new_npy)
    second = decode(filename, cache, [10])['imgs'][0]
    assert osp.exists(new_npy)
    assert not np.array_equal(first, second)
    assert np.array_equal(
        second,
        decode(str(videos / 'lgamzp.mp4'), cache, [10])['imgs'][0])


@pytest.mark.integration
@pytest.mark.parametrize('damage',
                         ('half', 'empty', 'garbage', 'meta', 'flipped'))
def test_broken_entry_is_rebuilt(damage, videos, tmp_path, monkeypatch):
    filename, cache = str(videos / 'lgamzp.mp4'), str(tmp_path / 'cache')
    good = decode(filename, cache, range(0, 75, 8))['imgs']
    npy, meta = entry_paths(filename, cache, MOUTH)
    with open(npy, 'rb') as f:
        data = f.read()
    if damage == 'meta':
        with open(meta, 'w') as f:
            f.write('{"shape": [')
    elif damage == 'flipped':  # same size, other bytes, in a new process
        from mmxkd.datasets.transforms import clip_cache_init
        monkeypatch.setattr(clip_cache_init, '_checked', set())
        with open(npy, 'r+b') as f:
            f.seek(len(data) - 100)
            f.write(bytes(255 - b for b in data[-100:-90]))
    else:
        broken = dict(
            half=data[:len(data) // 2], empty=b'',
            garbage=b'not an npy file' * 10)[damage]
        with open(npy, 'wb') as f:
            f.write(broken)
    again = decode(filename, cache, range(0, 75, 8))['imgs']
    assert all(np.array_equal(a, b) for a, b in zip(good, again))
    with open(npy, 'rb') as f:
        assert f.read() == data


@pytest.mark.integration
def test_entry_that_does_not_read_back_names_video_and_entry(
        videos, tmp_path, monkeypatch):
    from mmxkd.datasets.transforms import clip_cache_init
    filename, cache = str(videos / 'lgamzp.mp4'), str(tmp_path / 'cache')
    npy, _ = entry_paths(filename, cache, MOUTH)
    # a cache folder where whatever is written comes out truncated
    monkeypatch.setattr(clip_cache_init, 'save_npy_atomic',
                        lambda path, array: open(path, 'wb').write(b'\x93'))
    with pytest.raises(RuntimeError) as err:
        decode(filename, cache, [0])
    assert filename in str(err.value) and npy in str(err.value)


def test_missing_video_names_the_file(tmp_path):
    missing = str(tmp_path / 'nope.mp4')
    with pytest.raises(FileNotFoundError, match=missing):
        ClipCacheInit(str(tmp_path / 'cache'), MOUTH)(dict(filename=missing))


@pytest.mark.integration
def test_crop_outside_the_frames_names_the_video(videos, tmp_path):
    filename = str(videos / 'bbaf2n.mp4')
    with pytest.raises(ValueError, match='bbaf2n.mp4'):
        ClipCacheInit(str(tmp_path), (0, 0, 400, 100))(
            dict(filename=filename))
    with pytest.raises(ValueError, match='x1 < x2'):
        ClipCacheInit(str(tmp_path), (10, 0, 5, 5))


@pytest.mark.integration
def test_build_clip_cache_fills_the_cache_of_a_config(videos, tmp_path):
    lists = tmp_path / 'lists'
    lists.mkdir()
    (lists / 'train.txt').write_text('bbaf2n.mp4 0\nlgamzp.mp4 1\n')
    (lists / 'val.txt').write_text('swwv8p.mp4 2\nbbaf2n.mp4 0\n')
    cache = str(tmp_path / 'cache')
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs/_base_/datasets/grid_command_8x32.py'))
    for split, ann in (('train', 'train'), ('val', 'val'), ('test', 'val')):
        loader = cfg[f'{split}_dataloader']
        loader.dataset.ann_file = str(lists / f'{ann}.txt')
        loader.dataset.data_prefix.video = str(videos)
        loader.dataset.pipeline[0].cache_dir = cache
    dead = subprocess.Popen([sys.executable, '-c', 'pass'])
    dead.wait()
    os.makedirs(cache)
    stale = osp.join(cache, f'old.npy.tmp-{dead.pid}')  # a killed build's
    open(stale, 'w').close()
    built = build_clip_cache(cfg, splits=('train', 'val'), workers=2)
    assert not osp.exists(stale)
    assert sorted(built) == sorted(
        entry_paths(str(videos / f'{c}.mp4'), cache, MOUTH)[0] for c in CLIPS)
    assert sorted(built.values()) == [True] * 3
    assert len(os.listdir(cache)) == 6
    # ready: a second run decodes nothing, and the pipeline reads them
    again = build_clip_cache(cfg, splits=('train', 'val', 'test'))
    assert not any(again.values())
    mtimes = {p: os.stat(osp.join(cache, p)).st_mtime_ns
              for p in os.listdir(cache)}
    decode(str(videos / 'bbaf2n.mp4'), cache, [0])
    assert mtimes == {p: os.stat(osp.join(cache, p)).st_mtime_ns
                      for p in os.listdir(cache)}


@pytest.mark.integration
def test_benchmark_prints_the_check_cost():
    proc = run_tool([
        sys.executable, 'tools/analysis/benchmark_clip_cache.py',
        osp.join(GRID, 'videos'), '--crop', *map(str, MOUTH),
        '--max-videos', '1', '--repeats', '2'
    ])
    lines = proc.stdout.splitlines()
    assert '| entry | MB | decode (ms) | CRC-32 (ms) | CRC-32 (ms per MB) |' \
        in lines
    crop = next(line for line in lines if line.startswith('| crop 120'))
    assert float(crop.split('|')[2]) > 0
