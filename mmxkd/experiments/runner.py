# Copyright (c) mmxkd contributors. All rights reserved.
"""Train and test a config with a seed in a run directory, through the
repository's ``tools/train.py`` and ``tools/test.py`` (run as a user would
run them).

A run directory holds MMEngine's training work dir (``epoch_<N>.pth``,
``last_checkpoint``, ``best_*.pth``, ``<ts>/vis_data/scalars.json``), the
test's work dir ``test/`` (``<ts>/<ts>.json``), with ``dump`` the test
predictions ``test_predictions.npz``, with ``log_to_file`` the tools' output
``run.log``, with a trust head ``trust.json`` (``TrustScoreHook``),
``inputs.json`` (the digests of the run's inputs: the built config, the
teacher checkpoint, features and data it names; see
:mod:`.run_inputs`), written first, and, written last,
``metrics.json`` (the test metrics and the last epoch's trust scores), which
marks the run done:
a later run of the same :class:`Run` skips it (or, if it was tested on the
other checkpoint, only tests it again), and a run whose training was
interrupted is resumed (``tools/train.py --resume``), both only when the
inputs are those of ``inputs.json`` (otherwise the run fails, naming what
changed, and nothing in the directory is touched). Two processes (two
``compare_methods.py`` over one work dir) never run the same run at once:
the second waits on the run directory's ``.lock`` and then skips the run.
"""
import contextlib
import fcntl
import json
import os
import os.path as osp
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from mmxkd.fileio import save_json
from .records import (INPUTS_FILE, LOCK_FILE, LOG_FILE, PREDICTIONS_FILE,
                      RECORD_FILE, TEST_DIR, RunError, RunRecord, config_stem,
                      find_checkpoint, log_tail, read_test_metrics, read_trust)
from .run_inputs import changed_inputs, merged_config, run_inputs


def has_teacher(path: str, options: Sequence[str] = ()) -> bool:
    """Whether a config distils: its ``model.heads`` is non-empty (the
    student alone has no heads).

    Args:
        path: The config file.
        options: ``--cfg-options`` (``KEY=VALUE``, parsed as
            ``tools/train.py`` parses them) merged into the config first.

    Returns:
        True if the merged config's model has distillation heads.
    """
    cfg = merged_config(path, options)
    return bool(cfg.get('model', {}).get('heads'))


def scrambled_options(seed: int) -> Tuple[str, ...]:
    """The training ``--cfg-options`` of a method's scrambled-teacher
    control: every training clip's sound (and teacher feature) from a clip
    of another class.

    Args:
        seed: The run's seed, also the seed of the swap.

    Returns:
        ``swap_sound_ratio=1.0`` and ``swap_sound_seed=<seed>`` of the
        training dataset.
    """
    return ('train_dataloader.dataset.swap_sound_ratio=1.0',
            f'train_dataloader.dataset.swap_sound_seed={seed}')


def run_command(cmd: Sequence[str],
                cwd: str,
                step: str,
                log_file: Optional[str] = None) -> None:
    """Run a command, echoed as ``$ <command>``.

    Args:
        cmd: The program and its arguments.
        cwd: Where to run it (the repository root for its tools).
        step: What the command does, for the error message.
        log_file: Without it the echo and the command's output go to the
            terminal; with it both are appended to this file.

    Raises:
        RunError: The command exited non-zero.
    """
    echo = '$ ' + shlex.join(cmd)
    if log_file is None:
        print(echo, flush=True)
        returncode = subprocess.run(cmd, cwd=cwd).returncode
    else:
        with open(log_file, 'a') as log:
            log.write(f'\n{echo}\n')
            log.flush()
            returncode = subprocess.run(
                cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT).returncode
    if returncode != 0:
        raise RunError(f'{step} exited with {returncode}')


@contextlib.contextmanager
def run_lock(run_dir: str):
    """Hold ``<run_dir>/.lock`` (an exclusive ``flock``, released when the
    process ends however it ends), waiting for another process that holds
    it, with a note on stdout."""
    os.makedirs(run_dir, exist_ok=True)
    with open(osp.join(run_dir, LOCK_FILE), 'a') as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f'waiting for another process running {run_dir} ... ',
                  end='', flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def check_run_inputs(run: 'Run') -> None:
    """Record a new run's inputs in ``inputs.json``, or check that a run
    directory already used holds a run of the same inputs.

    Args:
        run: The run.

    Raises:
        RunError: The config cannot be built, or the directory holds a run
            of other inputs (another teacher, other data, another config),
            or one from before inputs were recorded; the message names what
            changed.
    """
    try:
        current = run_inputs(
            run.config,
            (f'randomness.seed={run.seed}', *run.options, *run.train_options))
    except (OSError, SyntaxError, ValueError, KeyError, TypeError,
            ImportError) as err:
        raise RunError(f'config {run.config} cannot be built: '
                       f'{type(err).__name__}: {err}') from err
    path = osp.join(run.run_dir, INPUTS_FILE)
    if osp.isfile(path):
        with open(path) as f:
            changed = changed_inputs(json.load(f), current)
        if changed:
            raise RunError(
                f'{run.run_dir} holds a run of other inputs (changed: '
                f'{", ".join(changed)}), whose results would be mixed with '
                'this one\'s; delete the directory to redo the run, or use '
                'another --work-dir')
        return
    used = [
        name for name in os.listdir(run.run_dir)
        if name == RECORD_FILE or name.endswith('.pth')
    ] if osp.isdir(run.run_dir) else []
    if used:
        raise RunError(
            f'{run.run_dir} holds a run ({", ".join(sorted(used)[:3])}) '
            f'without {INPUTS_FILE}, from before mmxkd recorded the inputs '
            'of a run: its teacher and data cannot be checked. Delete the '
            'directory to redo the run, or use another --work-dir')
    save_json(path, current, indent=1)


@dataclass(frozen=True)
class Run:
    """One training-and-test run of a config with a seed.

    Args:
        config: The config file (relative paths are taken from the current
            directory).
        seed: ``randomness.seed`` of the training and the test.
        run_dir: Where the run's files go.
        options: ``--cfg-options`` (``KEY=VALUE``) of the training and the
            test.
        train_options: More ``--cfg-options`` of the training only.
        checkpoint: Which checkpoint to test, one of :data:`CHECKPOINTS`.
        dump: Also write the test predictions to ``test_predictions.npz``.
        variant: What sets this run apart from the plain run of the config
            and seed (e.g. ``scrambled teacher``), for its label.
    """
    config: str
    seed: int
    run_dir: str
    options: Tuple[str, ...] = ()
    train_options: Tuple[str, ...] = ()
    checkpoint: str = 'last'
    dump: bool = False
    variant: str = ''

    @property
    def label(self) -> str:
        """``<config stem> seed <seed>``, or with a variant ``<config stem>
        (<variant>) seed <seed>``, to name the run in messages."""
        variant = f' ({self.variant})' if self.variant else ''
        return f'{config_stem(self.config)}{variant} seed {self.seed}'


class ExperimentRunner:
    """Runs :class:`Run` s through a repository's training and test tools.

    Args:
        repo_root: The repository whose ``tools/train.py`` and
            ``tools/test.py`` run; every command runs there.
        log_to_file: Append the tools' output to the run's ``run.log`` and
            print a short note per step (``train ... ``, ``test epoch_1.pth
            ... ``); otherwise each command is echoed (``$ ...``) and its
            output goes to the terminal.
    """

    def __init__(self, repo_root: str, log_to_file: bool = False) -> None:
        self.repo_root = repo_root
        self.log_to_file = log_to_file

    def run(self, run: Run) -> Tuple[RunRecord, bool]:
        """Train (or resume) and test a run, unless it is done.

        Args:
            run: The run.

        Returns:
            The run's record, and whether the run was done before (and so
            skipped).

        Raises:
            RunError: A step failed.
        """
        with run_lock(run.run_dir):
            check_run_inputs(run)
            record = RunRecord.load(run.run_dir)
            if record is not None and self.is_done(run, record):
                return record, True
            return self._train_and_test(
                run, trained=record is not None), False

    @staticmethod
    def is_done(run: Run, record: RunRecord) -> bool:
        """Whether a record is the finished ``run``.

        Args:
            run: The run asked for.
            record: The record in its run directory.

        Returns:
            True if the record's checkpoint is the kind ``run`` tests and,
            with ``run.dump``, the predictions file exists.
        """
        tested_best = record.checkpoint.startswith('best_')
        dumped = osp.isfile(osp.join(run.run_dir, PREDICTIONS_FILE))
        return (tested_best == (run.checkpoint == 'best')
                and (dumped or not run.dump))

    def _train_and_test(self, run: Run, trained: bool) -> RunRecord:
        """Train the run unless ``trained`` (resuming if it has a
        checkpoint), test it and write its record."""
        os.makedirs(run.run_dir, exist_ok=True)
        config = osp.abspath(run.config)
        seed = f'randomness.seed={run.seed}'
        if not trained:
            resume = osp.isfile(osp.join(run.run_dir, 'last_checkpoint'))
            cmd = [
                sys.executable, 'tools/train.py', config, '--work-dir',
                run.run_dir, '--cfg-options', seed, *run.options,
                *run.train_options
            ]
            self._step(cmd + ['--resume'] if resume else cmd, run, 'train',
                       'train (resumed)' if resume else 'train')
        checkpoint = find_checkpoint(run.run_dir, run.checkpoint)
        test_dir = osp.join(run.run_dir, TEST_DIR)
        cmd = [
            sys.executable, 'tools/test.py', config, checkpoint, '--work-dir',
            test_dir
        ]
        if run.dump:
            cmd += ['--dump', osp.join(run.run_dir, PREDICTIONS_FILE)]
        cmd += ['--cfg-options', seed, *run.options]
        self._step(cmd, run, 'test', f'test {osp.basename(checkpoint)}')
        record = RunRecord(
            config=run.config,
            seed=run.seed,
            checkpoint=osp.basename(checkpoint),
            metrics=dict(read_test_metrics(test_dir),
                         **read_trust(run.run_dir)))
        record.save(run.run_dir)
        return record

    def _step(self, cmd: List[str], run: Run, step: str, note: str) -> None:
        """Run one tool of a run (see ``log_to_file``)."""
        log_file = None
        if self.log_to_file:
            log_file = osp.join(run.run_dir, LOG_FILE)
            print(f'{note} ... ', end='', flush=True)
        run_command(cmd, self.repo_root, step, log_file)


def run_grid(runner: ExperimentRunner,
             runs: Sequence[Run]) -> Tuple[List[Optional[RunRecord]],
                                           List[str]]:
    """Run every run in turn, each reported on one line
    (``[i/n] <label>: ...``); a run that fails is reported (with the end of
    its ``run.log`` when ``runner.log_to_file``) and the others go on.

    Args:
        runner: Runs each run.
        runs: The runs, in order.

    Returns:
        The record of each run (None where it failed), and one line
        ``<label>: <error>`` per failed run.
    """
    records, failed = [], []
    for i, run in enumerate(runs, 1):
        print(f'[{i}/{len(runs)}] {run.label}: ', end='', flush=True)
        start = time.time()
        try:
            record, skipped = runner.run(run)
        except (RunError, OSError, ValueError) as error:
            message = f'FAILED after {time.time() - start:.0f} s: {error}'
            if runner.log_to_file:
                message += (f'\n  {run.run_dir}/{LOG_FILE} ends with:\n' +
                            log_tail(osp.join(run.run_dir, LOG_FILE)))
            print(message, flush=True)
            failed.append(f'{run.label}: {error}')
            records.append(None)
            continue
        records.append(record)
        if skipped:
            print(f'skipped, done before ({run.run_dir}/{RECORD_FILE})',
                  flush=True)
        else:
            print(f'done in {time.time() - start:.0f} s', flush=True)
    return records, failed
