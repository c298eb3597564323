# Copyright (c) mmxkd contributors. All rights reserved.
"""The benchmark report as a header and a markdown table."""
from typing import Optional


def _fmt(value: Optional[float], spec: str) -> str:
    return '-' if value is None else format(value, spec)


def format_report(report: dict) -> str:
    """The report as a header and a markdown table, one row per config (and
    AMP mode: ``(amp <dtype>)`` after the config where it is on; GPU memory
    columns on CUDA)."""
    m, s = report['machine'], report['settings']
    gpu = m['gpu'] is not None
    amp = '' if s['amp'] == ['off'] else \
        f' (AMP {"/".join(s["amp"])}: autocast, no grad scaler)'
    lines = [
        f'train step, interleaved round by round: {len(report["configs"])} '
        f'configs x {s["rounds"]} rounds after {s["warmup"]} warm-up '
        f'rounds, batch {s["batch_size"]} '
        f'({"synthetic" if s["synthetic_batch"] else "training clips"}), '
        f'{s["device"]}{amp}',
        f'machine: {m["cpu_count"]} CPUs ({m["cpus_usable"]} usable), '
        f'torch {m["torch"]}, {m["threads"]} threads, mmxkd {m["mmxkd"]}, '
        f'{m["platform"]}' + (f', GPU {m["gpu"]}' if gpu else ''), '',
        '| config | ms/step median | ms/step IQR | x first median '
        '| x first IQR | step clips/s | loader clips/s (workers) '
        '| loader / step | build RSS +MiB | step peak RSS +MiB |' +
        (' GPU step peak MiB | GPU step peak +MiB |' if gpu else ''),
        '|---|---|---|---|---|---|---|---|---|---|' +
        ('---|---|' if gpu else '')
    ]
    for row in report['configs']:
        ms, ratio, mem = row['ms_per_step'], row['ratio_to_first'], \
            row['memory']
        loader = row['loader']
        loader_cells = ['-', '-'] if loader is None else [
            f'{loader["clips_per_s"]:.1f} ({loader["num_workers"]})',
            f'{loader["loader_to_step"]:.2f}'
        ]
        name = row['config'] if row['amp'] is None else \
            f'{row["config"]} (amp {row["amp"]})'
        cells = [
            name, f'{ms["median"]:.1f}', f'{ms["iqr"]:.1f}',
            f'{ratio["median"]:.3f}', f'{ratio["iqr"]:.3f}',
            f'{row["step_clips_per_s"]:.1f}', *loader_cells,
            _fmt(mem['build_rss_growth_mib'], '.1f'),
            _fmt(mem['step_peak_rss_growth_mib'], '.1f')
        ]
        if gpu:
            cells += [
                _fmt(mem['gpu_step_peak_mib'], '.0f'),
                _fmt(mem['gpu_step_peak_growth_mib'], '.0f')
            ]
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines += [
        '',
        f'process peak RSS (workers not included): '
        f'{report["process_peak_rss_mib"]:.1f} MiB. '
        'x first: per-round ratio to the first config. build RSS: growth '
        'while building the model, optim wrapper and batch (the first '
        "config's includes one-off costs of the process); step peak RSS: "
        'highest peak RSS of a step above the RSS before it (VmHWM reset '
        'per step; best effort). loader / step: clips/s of the train '
        'dataloader over those of the step (batch / median step time).' +
        (' GPU step peak: torch.cuda.max_memory_allocated during a step '
         '(every config built stays allocated), and above the allocation '
         'before it.' if gpu else '')
    ]
    return '\n'.join(lines)
