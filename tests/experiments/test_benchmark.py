# Copyright (c) mmxkd contributors. All rights reserved.
import json

import numpy as np
import pytest
import torch

from mmxkd.experiments.benchmark import (AMP_CHOICES, REFERENCE_CONFIGS,
                                         RssProbe, build_case,
                                         build_gpu_parser, build_parser,
                                         check_device, format_report,
                                         gpu_main, load_config, main,
                                         run_benchmark, summarize_rounds,
                                         synthetic_input_shape,
                                         time_interleaved, time_loader,
                                         ucf51_options)
from ..conftest import DISTILL_CFG, STUDENT_CFG, data_options


def _options(root: str) -> dict:
    """``data_options`` parsed as the tool parses ``--cfg-options``."""
    return build_parser().parse_args(['--cfg-options'] +
                                     data_options(root)).cfg_options


def test_steps_run_round_robin_and_warmup_is_not_counted():
    calls, now = [], [0.0]

    def fake_step(name: str, cost: float):
        def step():
            calls.append(name)
            now[0] += cost * len(calls)  # every call costs more than the last
        return step

    steps = [fake_step('a', 1.0), fake_step('b', 2.0), fake_step('c', 3.0)]
    measured = time_interleaved(
        steps, warmup=2, rounds=3, clock=lambda: now[0])
    assert calls == ['a', 'b', 'c'] * 5
    # call i (1-based) of config k costs (k + 1) * i; counted calls: 7..15
    expected = np.array([[(k + 1) * (3 * r + k + 1) for k in range(3)]
                         for r in range(2, 5)], dtype=float)
    np.testing.assert_array_equal(measured.seconds, expected)
    assert measured.step_peak_growth == [None, None, None]


def test_ratios_are_paired_by_round():
    # the machine slows down round by round; config 1 always takes 2x
    seconds = np.array([[0.01, 0.02], [0.05, 0.10], [0.02, 0.04],
                        [0.09, 0.18]])
    first, second = summarize_rounds(seconds)
    assert first['ratio_to_first']['median'] == 1.0
    assert first['ratio_to_first']['iqr'] == 0.0
    assert second['ratio_to_first']['median'] == pytest.approx(2.0)
    assert second['ratio_to_first']['iqr'] == pytest.approx(0.0)
    # whereas the times themselves spread widely
    assert first['ms_per_step']['median'] == pytest.approx(35.0)
    assert first['ms_per_step']['iqr'] == pytest.approx(
        np.percentile([10, 50, 20, 90], 75) -
        np.percentile([10, 50, 20, 90], 25))
    assert second['ms_per_step']['values'] == pytest.approx(
        [20, 100, 40, 180])


def test_synthetic_input_shape():
    cfg = load_config(DISTILL_CFG)
    assert synthetic_input_shape(cfg.train_dataloader.dataset.pipeline) == \
        (1, 3, 8, 48, 48)
    tsn = [
        dict(type='SampleFrames', clip_len=1, num_clips=3),
        dict(type='Resize', scale=(-1, 64)),
        dict(type='CenterCrop', crop_size=56),
        dict(type='FormatShape', input_format='NCHW')
    ]
    assert synthetic_input_shape(tsn) == (3, 3, 56, 56)
    with pytest.raises(ValueError, match='--input-shape'):
        synthetic_input_shape(tsn[:2] + tsn[3:])  # Resize keeps the ratio


def test_synthetic_batch_has_teacher_features_where_the_model_reads_them():
    student = build_case(STUDENT_CFG, load_config(STUDENT_CFG), 3,
                         synthetic=True)
    distill = build_case(DISTILL_CFG, load_config(DISTILL_CFG), 3,
                         synthetic=True)
    for case in (student, distill):
        assert [x.shape for x in case.batch['inputs']] == \
            [(1, 3, 8, 48, 48)] * 3
        assert case.batch['inputs'][0].dtype == torch.uint8
        assert [s.sample_idx for s in case.batch['data_samples']] == [0, 1, 2]
    assert 'teacher_feat' not in student.batch['data_samples'][0]
    assert distill.batch['data_samples'][0].teacher_feat.shape == (512, )
    distill.step()  # the MNF + CSC losses accept it


@pytest.mark.integration
def test_dataset_batch_is_the_same_clips_through_each_pipeline(
        synthetic_data):
    options = _options(synthetic_data)
    student = build_case(STUDENT_CFG, load_config(STUDENT_CFG, options), 2)
    distill = build_case(DISTILL_CFG, load_config(DISTILL_CFG, options), 2)
    for a, b in zip(student.batch['inputs'], distill.batch['inputs']):
        assert torch.equal(a, b)  # same clips, same crops
    assert distill.batch['data_samples'][1].teacher_feat.shape == (512, )
    assert student.build_rss_growth > 0


@pytest.mark.integration
def test_loader_timing_on_the_generated_clips(synthetic_data):
    cfg = load_config(DISTILL_CFG, _options(synthetic_data))
    loader = time_loader(cfg, batches=5)  # 4 batches an epoch: runs over
    assert (loader['num_workers'], loader['batch_size'], loader['batches'],
            loader['clips']) == (0, 4, 5, 20)
    assert loader['clips_per_s'] == pytest.approx(20 / loader['seconds'])
    assert time_loader(cfg, batches=1, workers=1)['num_workers'] == 1


def test_rss_probe_sees_an_allocation():
    probe = RssProbe()
    if not probe.reset_peak():
        pytest.skip('the kernel does not reset VmHWM here')
    before = probe.rss()
    block = np.ones(64 * 2**20, dtype=np.uint8)  # 64 MiB, touched
    del block
    assert probe.peak() - before >= 60 * 2**20
    assert probe.process_peak() >= probe.peak()


@pytest.mark.integration
def test_benchmark_two_configs(synthetic_data, tmp_path, capsys):
    json_path = tmp_path / 'bench.json'
    report = main([
        STUDENT_CFG, DISTILL_CFG, '--synthetic-batch', '--rounds', '3',
        '--warmup', '1', '--batch-size', '4', '--loader-batches', '2',
        '--threads', '1', '--json', str(json_path), '--cfg-options'
    ] + data_options(synthetic_data))
    out = capsys.readouterr().out
    assert json.loads(json_path.read_text()) == report
    assert report['machine']['threads'] == 1
    assert report['machine']['cpu_count'] >= 1
    assert report['settings']['rounds'] == 3
    first, second = report['configs']
    assert [first['config'], second['config']] == [STUDENT_CFG, DISTILL_CFG]
    assert first['ratio_to_first']['median'] == 1.0
    assert first['ratio_to_first']['values'] == [1.0] * 3
    for row in report['configs']:
        ms = row['ms_per_step']
        assert len(ms['values']) == 3
        assert ms['median'] == pytest.approx(np.median(ms['values']))
        assert ms['iqr'] == pytest.approx(ms['q75'] - ms['q25'])
        assert row['step_clips_per_s'] == pytest.approx(
            4 / ms['median'] * 1e3)
        loader = row['loader']
        assert loader['clips'] == 8
        assert loader['loader_to_step'] == pytest.approx(
            loader['clips_per_s'] / row['step_clips_per_s'])
        assert row['memory']['build_rss_growth_mib'] is not None
        cells = [
            row['config'], f'{ms["median"]:.1f}', f'{ms["iqr"]:.1f}',
            f'{row["ratio_to_first"]["median"]:.3f}'
        ]
        assert '| ' + ' | '.join(cells) + ' |' in out
    assert report['process_peak_rss_mib'] >= 100
    assert '1 threads' in out and 'torch ' in out



@pytest.fixture
def no_cuda(monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)


def test_cuda_is_refused_where_there_is_none_before_any_work(no_cuda):
    assert check_device('cpu') == torch.device('cpu')
    for device in ('cuda', 'cuda:1'):
        with pytest.raises(RuntimeError, match=f"CUDA is required for "
                           f"device '{device}'.*is_available"):
            check_device(device)
    # the config does not exist: refused before it is read
    with pytest.raises(RuntimeError, match='CUDA is required'):
        run_benchmark(['no/such/config.py'], device='cuda')
    with pytest.raises(SystemExit) as exc:
        gpu_main(['--iters', '1'])
    assert str(exc.value).startswith('benchmark_gpu.sh: CUDA is required')


@pytest.mark.parametrize('args', [['--batch-size', '1'], ['--iters', '0'],
                                  ['--warmup', '-2'], ['--amp', 'bf16']])
def test_gpu_arguments_are_checked(args, capsys):
    with pytest.raises(SystemExit) as exc:
        build_gpu_parser().parse_args(args)
    assert exc.value.code == 2
    assert f'argument {args[0]}' in capsys.readouterr().err


def test_gpu_defaults_are_the_reference_scale():
    args = build_gpu_parser().parse_args([])
    assert (args.batch_size, args.amp, args.workers,
            args.data_root) == (32, 'both', None, None)
    assert AMP_CHOICES[args.amp] == ('off', 'on')
    for path in REFERENCE_CONFIGS:
        cfg = load_config(path)
        assert synthetic_input_shape(cfg.train_dataloader.dataset.pipeline) \
            == (1, 3, 16, 112, 112)
    assert ucf51_options('/d')['train_dataloader.dataset.data_prefix.'
                               'teacher'] == '/d/teacher_feats'


def test_gpu_memory_is_read_around_each_step():
    allocated = [100]

    class FakeGpu:
        resets = 0

        def allocated(self) -> int:
            return allocated[0]

        def reset_peak(self) -> None:
            self.resets += 1

        def peak(self) -> int:
            return allocated[0] + 50

    def grow(by: int):
        def step():
            allocated[0] += by
        return step

    gpu = FakeGpu()
    measured = time_interleaved([grow(10), grow(0)], warmup=1, rounds=2,
                                gpu_probe=gpu)
    assert gpu.resets == 6
    # config 0 ends at 100 + 3 * 10 (peak 180); config 1 at 130 (peak 180)
    assert measured.gpu_peak == [180, 180]
    assert measured.gpu_peak_growth == [60, 50]


def test_amp_modes_are_cases_of_their_own():
    report = run_benchmark([STUDENT_CFG], rounds=2, warmup=1, batch_size=2,
                           synthetic=True, loader_batches=0,
                           amp=('off', 'on'))
    off, on = report['configs']
    assert [off['config'], on['config']] == [STUDENT_CFG] * 2
    assert [off['amp'], on['amp']] == [None, 'float16']
    assert off['ratio_to_first']['median'] == 1.0
    assert report['settings']['amp'] == ['off', 'on']
    assert on['memory']['gpu_step_peak_mib'] is None
    assert report['machine']['gpu'] is None
    table = format_report(report)
    assert f'| {STUDENT_CFG} (amp float16) |' in table
    assert 'GPU' not in table
    with pytest.raises(ValueError, match='amp modes'):
        run_benchmark([STUDENT_CFG], amp=('fp8', ))

    # as it reads on a GPU
    report['machine']['gpu'] = 'NVIDIA H200'
    on['memory'].update(gpu_step_peak_mib=2048.4, gpu_step_peak_growth_mib=1e3)
    table = format_report(report)
    assert ', GPU NVIDIA H200' in table
    assert '| GPU step peak MiB | GPU step peak +MiB |' in table
    assert table.splitlines()[4].count('---') == 12
    assert '| 2048 | 1000 |' in table
