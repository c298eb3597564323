# Copyright (c) mmxkd contributors. All rights reserved.
"""The files of a run directory and what the runs left there.

A run directory holds MMEngine's training work dir (``epoch_<N>.pth``,
``last_checkpoint``, ``best_*.pth``, ``<ts>/vis_data/scalars.json``), the
test's work dir ``test/`` (``<ts>/<ts>.json``), with ``dump`` the test
predictions ``test_predictions.npz``, with ``log_to_file`` the tools' output
``run.log``, with a trust head ``trust.json`` (``TrustScoreHook``),
``inputs.json`` (the digests of the run's inputs; see
:mod:`mmxkd.experiments.run_inputs`), written first, and, written last,
``metrics.json`` (:class:`RunRecord`: the test metrics and the last epoch's
trust scores), which marks the run done. :mod:`.runner` makes the runs.
"""
import json
import os.path as osp
import re
from dataclasses import asdict, dataclass
from glob import glob
from typing import Dict, List, Optional, Tuple

import numpy as np

from mmxkd.fileio import TRUST_FILE, load_trust_entries, save_json

# The files of a run directory (see the module docstring).
RECORD_FILE = 'metrics.json'
INPUTS_FILE = 'inputs.json'
PREDICTIONS_FILE = 'test_predictions.npz'
LOG_FILE = 'run.log'
TEST_DIR = 'test'
LOCK_FILE = '.lock'
# Which checkpoint of a run is tested.
CHECKPOINTS = ('last', 'best')
# Keys of MMEngine's test log line that are timings, not metrics.
NOT_METRICS = frozenset({'time', 'data_time', 'memory'})
LOG_TAIL_LINES = 20
_EPOCH_CHECKPOINT = re.compile(r'epoch_(\d+)\.pth')


class RunError(Exception):
    """A step of one run failed; the message says which and why."""


def config_stem(path: str) -> str:
    """The config file name without ``.py``.

    Args:
        path: A config file.

    Returns:
        The stem, e.g. ``kd_r18`` for ``configs/kd/kd_r18.py``.
    """
    return osp.splitext(osp.basename(path))[0]


def find_checkpoint(run_dir: str, which: str = 'last') -> str:
    """A checkpoint of a training run.

    Args:
        run_dir: The training's work dir.
        which: ``'last'``: the checkpoint that ``last_checkpoint`` names,
            looked up in ``run_dir`` (which may have moved since MMEngine
            wrote its absolute path), or, without that file, the
            ``epoch_<N>.pth`` with the largest N. ``'best'``: the single
            ``best_*.pth``.

    Returns:
        The checkpoint's path.

    Raises:
        RunError: There is no such checkpoint.
    """
    if which == 'best':
        best = sorted(glob(osp.join(run_dir, 'best_*.pth')))
        if len(best) != 1:
            raise RunError('--checkpoint best needs one best_*.pth in '
                           f'{run_dir}, found {len(best)}')
        return best[0]
    pointer = osp.join(run_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            checkpoint = osp.join(run_dir, osp.basename(f.read().strip()))
        if not osp.isfile(checkpoint):
            raise RunError(f'last_checkpoint names {checkpoint}, which does '
                           'not exist')
        return checkpoint
    epochs = {}
    for path in glob(osp.join(run_dir, 'epoch_*.pth')):
        match = _EPOCH_CHECKPOINT.fullmatch(osp.basename(path))
        if match:
            epochs[int(match.group(1))] = path
    if not epochs:
        raise RunError(f'no last_checkpoint or epoch_<N>.pth in {run_dir}')
    return epochs[max(epochs)]


def read_test_metrics(test_dir: str) -> Dict[str, float]:
    """The metrics of the newest test log in a test's work dir.

    Args:
        test_dir: The work dir of ``tools/test.py``, where MMEngine's
            LoggerHook wrote ``<ts>/<ts>.json``.

    Returns:
        Metric name -> value of the log's last line, timings left out.

    Raises:
        RunError: The test wrote no log.
    """
    logs = sorted(
        path for path in glob(osp.join(test_dir, '*', '*.json'))
        if osp.basename(path) == osp.basename(osp.dirname(path)) + '.json')
    if not logs:
        raise RunError(f'the test wrote no metrics to {test_dir}/<ts>/')
    with open(logs[-1]) as f:
        lines = [line for line in f if line.strip()]
    return {key: value for key, value in json.loads(lines[-1]).items()
            if key not in NOT_METRICS}


def read_trust(run_dir: str) -> Dict[str, float]:
    """The last epoch's trust scores of a training
    (``<run_dir>/trust.json``, written by ``TrustScoreHook``).

    Args:
        run_dir: The training's work dir.

    Returns:
        ``trust/...`` key -> value of the last epoch; empty when the run
        scored no trust (no head exposes it, or every sound is relevant).
    """
    path = osp.join(run_dir, TRUST_FILE)
    if not osp.isfile(path):
        return {}
    try:
        entries = load_trust_entries(path)
    except ValueError as err:
        raise RunError(str(err)) from err
    if not entries:
        return {}
    return {key: float(value) for key, value in entries[-1].items()
            if key.startswith('trust/')}


def read_val_curve(run_dir: str,
                   key: str = 'acc/top1') -> List[Tuple[int, float]]:
    """One validation metric over a training run, resumed parts included.

    Args:
        run_dir: The training's work dir, with MMEngine's
            ``<ts>/vis_data/scalars.json`` of each (resumed) training.
        key: The metric.

    Returns:
        (epoch, value) of every validation, by epoch; where a resumed
        training validated an epoch again, its newer value.
    """
    curve = {}
    for log in sorted(glob(osp.join(run_dir, '*', 'vis_data',
                                    'scalars.json'))):
        with open(log) as f:
            for line in f:
                entry = json.loads(line)
                if key in entry:
                    curve[entry['step']] = entry[key]
    return sorted(curve.items())


def read_train_curve(run_dir: str, key: str) -> List[Tuple[int, float]]:
    """One logged training statistic over a run, as its mean per epoch.

    Args:
        run_dir: The training's work dir, with MMEngine's
            ``<ts>/vis_data/scalars.json`` of each (resumed) training.
        key: The statistic, e.g. a loss term or ``mnf_gate_std``.

    Returns:
        (epoch, mean over the epoch's logged iterations) by epoch; an epoch
        that a resumed training ran again takes the newer training's
        values only.
    """
    epochs: Dict[int, Tuple[str, List[float]]] = {}
    for log in sorted(glob(osp.join(run_dir, '*', 'vis_data',
                                    'scalars.json'))):
        with open(log) as f:
            for line in f:
                entry = json.loads(line)
                if key not in entry or 'iter' not in entry:
                    continue
                part, values = epochs.get(entry['epoch'], (log, []))
                if part != log:  # a later training ran this epoch again
                    values = []
                values.append(float(entry[key]))
                epochs[entry['epoch']] = (log, values)
    return [(epoch, float(np.mean(values)))
            for epoch, (_, values) in sorted(epochs.items())]


def log_tail(log_file: str, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a log, indented by four spaces.

    Args:
        log_file: The log.
        lines: How many lines.

    Returns:
        The lines, or ``    (no run.log)`` if the log does not exist.
    """
    if not osp.isfile(log_file):
        return f'    (no {osp.basename(log_file)})'
    with open(log_file, errors='replace') as f:
        tail = f.read().splitlines()[-lines:]
    return '\n'.join('    ' + line for line in tail)


@dataclass
class RunRecord:
    """A finished run, as its ``metrics.json`` holds it.

    Args:
        config: The config file, as the :class:`Run` gave it.
        seed: The run's seed.
        checkpoint: The file name of the tested checkpoint.
        metrics: The test metrics (see :func:`read_test_metrics`).
    """
    config: str
    seed: int
    checkpoint: str
    metrics: Dict[str, float]

    @classmethod
    def load(cls, run_dir: str) -> Optional['RunRecord']:
        """The record of a run directory.

        Args:
            run_dir: The run directory.

        Returns:
            Its record, or None if the run has not finished.
        """
        path = osp.join(run_dir, RECORD_FILE)
        if not osp.isfile(path):
            return None
        with open(path) as f:
            return cls(**json.load(f))

    def save(self, run_dir: str) -> None:
        """Write the record (atomically) to ``<run_dir>/metrics.json``.

        Args:
            run_dir: The run directory.
        """
        save_json(osp.join(run_dir, RECORD_FILE), asdict(self), indent=1)
