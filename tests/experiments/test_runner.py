# Copyright (c) mmxkd contributors. All rights reserved.
"""mmxkd.experiments.records and .runner on small fake run dirs, and the
runner against fake ``tools/train.py`` / ``tools/test.py`` that record their
command lines and write what MMEngine would."""
import json
import os
import os.path as osp
import re
import subprocess
import sys
import threading
import time

import pytest

from mmxkd.experiments.records import (INPUTS_FILE, LOCK_FILE,
                                       PREDICTIONS_FILE, RunError, RunRecord,
                                       find_checkpoint, log_tail,
                                       read_test_metrics, read_trust,
                                       read_val_curve)
from mmxkd.experiments.run_inputs import run_inputs
from mmxkd.experiments.runner import (ExperimentRunner, Run, has_teacher,
                                      run_command, run_grid)
from mmxkd.fileio import save_json

FAKE_TRAIN = '''
import json, os, os.path as osp, sys
args = sys.argv[1:]
with open(osp.join(osp.dirname(__file__), '..', 'calls.jsonl'), 'a') as f:
    f.write(json.dumps(['train'] + args) + '\\n')
print('fake training of', args[0])
if osp.basename(args[0]).startswith('broken'):
    sys.exit(3)
work_dir = args[args.index('--work-dir') + 1]
open(osp.join(work_dir, 'epoch_1.pth'), 'w').close()
open(osp.join(work_dir, 'best_acc_top1_epoch_1.pth'), 'w').close()
with open(osp.join(work_dir, 'last_checkpoint'), 'w') as f:
    f.write('/elsewhere/epoch_1.pth')
'''
FAKE_TEST = '''
import json, os, os.path as osp, sys
import numpy as np
args = sys.argv[1:]
with open(osp.join(osp.dirname(__file__), '..', 'calls.jsonl'), 'a') as f:
    f.write(json.dumps(['test'] + args) + '\\n')
log_dir = osp.join(args[args.index('--work-dir') + 1], '20260101_000000')
os.makedirs(log_dir, exist_ok=True)
with open(osp.join(log_dir, '20260101_000000.json'), 'w') as f:
    f.write(json.dumps({'acc/top1': 0.75, 'time': 0.1}) + '\\n')
if '--dump' in args:
    np.savez(args[args.index('--dump') + 1], pred_score=np.zeros((1, 2)),
             gt_label=np.zeros((1, 1)))
'''


@pytest.fixture
def repo(tmp_path) -> str:
    """A fake repository root with recording tools/train.py and test.py."""
    (tmp_path / 'repo' / 'tools').mkdir(parents=True)
    (tmp_path / 'repo' / 'tools' / 'train.py').write_text(FAKE_TRAIN)
    (tmp_path / 'repo' / 'tools' / 'test.py').write_text(FAKE_TEST)
    return str(tmp_path / 'repo')


def calls(repo: str) -> list:
    """The recorded calls: [tool, *arguments] each."""
    path = osp.join(repo, 'calls.jsonl')
    if not osp.isfile(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f]


def cfg_options(call: list) -> list:
    """The ``--cfg-options`` of a recorded call."""
    start = call.index('--cfg-options') + 1
    end = call.index('--resume') if '--resume' in call else len(call)
    return call[start:end]


def touch(path) -> str:
    """Create an empty file (and its directory); returns its path."""
    os.makedirs(osp.dirname(str(path)), exist_ok=True)
    open(path, 'w').close()
    return str(path)


@pytest.fixture(autouse=True)
def a_config(tmp_path, monkeypatch) -> str:
    """The configs ``a.py``, ``b.py`` and ``broken.py`` that the runs
    train, in the current directory, with a data list ``data.txt`` that
    they name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'data.txt').write_text('clip_0.mp4 0\n')
    for name in ('a.py', 'b.py', 'broken.py'):
        (tmp_path / name).write_text(
            "x = 0\ny = 0\nann_file = './data.txt'\n")
    return str(tmp_path / 'a.py')


def save_inputs(run_dir: str, seed: int = 3) -> None:
    """The inputs.json of a run of a.py with ``seed``."""
    os.makedirs(run_dir, exist_ok=True)
    save_json(osp.join(run_dir, INPUTS_FILE),
              run_inputs('a.py', (f'randomness.seed={seed}', )))


def save_record(run_dir: str, checkpoint: str = 'epoch_1.pth') -> RunRecord:
    """A finished run's metrics.json (and inputs.json)."""
    save_inputs(run_dir)
    record = RunRecord(config='a.py', seed=3, checkpoint=checkpoint,
                       metrics={'acc/top1': 0.5})
    record.save(run_dir)
    return record


# checkpoint lookup


def test_last_checkpoint_is_looked_up_in_the_moved_run_dir(tmp_path):
    touch(tmp_path / 'epoch_2.pth')
    (tmp_path / 'last_checkpoint').write_text('/old/place/epoch_2.pth\n')
    assert find_checkpoint(str(tmp_path)) == str(tmp_path / 'epoch_2.pth')


def test_last_checkpoint_naming_a_missing_file_is_an_error(tmp_path):
    touch(tmp_path / 'epoch_1.pth')
    (tmp_path / 'last_checkpoint').write_text('/old/place/epoch_2.pth')
    with pytest.raises(RunError, match='names .*epoch_2.pth, which does not'):
        find_checkpoint(str(tmp_path))


def test_without_last_checkpoint_the_newest_epoch(tmp_path):
    for name in ('epoch_2.pth', 'epoch_10.pth', 'epoch_9.pth',
                 'best_acc_top1_epoch_11.pth', 'epoch_x.pth'):
        touch(tmp_path / name)
    assert find_checkpoint(str(tmp_path)) == str(tmp_path / 'epoch_10.pth')


def test_no_checkpoint_is_an_error(tmp_path):
    touch(tmp_path / 'best_acc_top1_epoch_1.pth')
    with pytest.raises(RunError, match='no last_checkpoint or epoch_<N>'):
        find_checkpoint(str(tmp_path))


def test_best_checkpoint_must_be_single(tmp_path):
    best = touch(tmp_path / 'best_acc_top1_epoch_3.pth')
    touch(tmp_path / 'epoch_4.pth')
    assert find_checkpoint(str(tmp_path), 'best') == best
    touch(tmp_path / 'best_acc_top1_epoch_4.pth')
    with pytest.raises(RunError, match='one best_.*found 2'):
        find_checkpoint(str(tmp_path), 'best')


# what runs leave in their dirs


def write_lines(path, entries: list) -> None:
    """A JSON-lines log."""
    os.makedirs(osp.dirname(str(path)), exist_ok=True)
    with open(path, 'w') as f:
        f.writelines(json.dumps(entry) + '\n' for entry in entries)


def test_test_metrics_of_the_newest_log_without_timings(tmp_path):
    write_lines(tmp_path / '20260101_000000' / '20260101_000000.json',
                [{'acc/top1': 0.1}])
    write_lines(tmp_path / '20260102_000000' / '20260102_000000.json',
                [{'acc/top1': 0.2}, {'acc/top1': 0.3, 'acc/top5': 0.9,
                                     'time': 1.5, 'data_time': 0.1,
                                     'memory': 100}])
    write_lines(tmp_path / '20260103_000000' / 'scalars.json',
                [{'acc/top1': 0.0}])
    assert read_test_metrics(str(tmp_path)) == {'acc/top1': 0.3,
                                                'acc/top5': 0.9}


def test_test_without_log_is_an_error(tmp_path):
    with pytest.raises(RunError, match='the test wrote no metrics'):
        read_test_metrics(str(tmp_path))


def test_val_curve_merges_the_logs_of_a_resumed_training(tmp_path):
    write_lines(tmp_path / '20260101_000000' / 'vis_data' / 'scalars.json',
                [{'loss': 1.0, 'step': 4}, {'acc/top1': 0.2, 'step': 1},
                 {'acc/top1': 0.3, 'step': 2}])
    write_lines(tmp_path / '20260102_000000' / 'vis_data' / 'scalars.json',
                [{'acc/top1': 0.35, 'step': 2}, {'acc/top1': 0.5, 'step': 3}])
    assert read_val_curve(str(tmp_path)) == [(1, 0.2), (2, 0.35), (3, 0.5)]
    assert read_val_curve(str(tmp_path / 'nothing')) == []


def test_record_round_trip(tmp_path):
    assert RunRecord.load(str(tmp_path)) is None
    record = save_record(str(tmp_path))
    assert RunRecord.load(str(tmp_path)) == record
    assert json.loads((tmp_path / 'metrics.json').read_text()) == dict(
        config='a.py', seed=3, checkpoint='epoch_1.pth',
        metrics={'acc/top1': 0.5})
    assert not list(tmp_path.glob('*.tmp*'))


def test_log_tail(tmp_path):
    log = tmp_path / 'run.log'
    assert log_tail(str(log)) == '    (no run.log)'
    log.write_text(''.join(f'line {i}\n' for i in range(30)))
    assert log_tail(str(log), 2) == '    line 28\n    line 29'


@pytest.mark.integration
def test_run_command_fails_with_the_step(tmp_path, capsys):
    run_command(['true'], str(tmp_path), 'nothing')
    assert capsys.readouterr().out == '$ true\n'
    log = str(tmp_path / 'run.log')
    with pytest.raises(RunError, match='^thinking exited with 2$'):
        run_command(['sh', '-c', 'echo deep thought; exit 2'], str(tmp_path),
                    'thinking', log)
    assert capsys.readouterr().out == ''
    assert open(log).read() == "\n$ sh -c 'echo deep thought; exit 2'\n" \
        'deep thought\n'


# the runner


@pytest.mark.integration
def test_run_trains_tests_records_and_then_skips(repo, tmp_path, capfd):
    run_dir = str(tmp_path / 'runs' / 'a')
    run = Run('a.py', 7, run_dir, options=('x=1', ), train_options=('y=2', ),
              dump=True)
    record, skipped = ExperimentRunner(repo).run(run)
    assert not skipped
    assert record == RunRecord(config='a.py', seed=7,
                               checkpoint='epoch_1.pth',
                               metrics={'acc/top1': 0.75})
    assert RunRecord.load(run_dir) == record
    train, test = calls(repo)
    assert train[:4] == ['train', osp.abspath('a.py'), '--work-dir', run_dir]
    assert cfg_options(train) == ['randomness.seed=7', 'x=1', 'y=2']
    assert '--resume' not in train
    assert test[:5] == ['test', osp.abspath('a.py'),
                        osp.join(run_dir, 'epoch_1.pth'), '--work-dir',
                        osp.join(run_dir, 'test')]
    assert test[test.index('--dump') + 1] == osp.join(run_dir,
                                                      PREDICTIONS_FILE)
    assert cfg_options(test) == ['randomness.seed=7', 'x=1']
    out = capfd.readouterr().out
    assert out.count('\n$ ') == 1 and out.startswith('$ ')
    assert 'fake training of' in out

    assert ExperimentRunner(repo).run(run) == (record, True)
    assert len(calls(repo)) == 2


@pytest.mark.integration
def test_a_run_held_by_another_process_is_waited_for_then_skipped(
        repo, tmp_path, capfd):
    """Two compare_methods over one work dir: the second waits on the run's
    lock while the first trains it, then finds it done."""
    run_dir = tmp_path / 'a'
    holder = subprocess.Popen([
        sys.executable, '-c',
        'import fcntl, sys, time\n'
        f'lock = open({str(run_dir / LOCK_FILE)!r}, "a")\n'
        'fcntl.flock(lock, fcntl.LOCK_EX)\n'
        'print("held", flush=True)\n'
        'sys.stdin.readline()\n'  # until the test says the run is done
        'fcntl.flock(lock, fcntl.LOCK_UN)\n'
    ], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    os.makedirs(run_dir, exist_ok=True)
    assert holder.stdout.readline() == 'held\n'
    results = []
    waiter = threading.Thread(
        target=lambda: results.append(ExperimentRunner(repo).run(
            Run('a.py', 3, str(run_dir)))))
    waiter.start()
    time.sleep(1.0)
    assert waiter.is_alive() and not results  # waiting on the lock
    save_record(str(run_dir), 'epoch_1.pth')  # the other process finished
    holder.communicate('done\n')
    waiter.join(timeout=30)
    assert results and results[0][1] is True  # skipped, done before
    assert calls(repo) == []  # it trained and tested nothing
    assert 'waiting for another process running' in capfd.readouterr().out


@pytest.mark.integration
def test_interrupted_training_is_resumed(repo, tmp_path):
    run_dir = tmp_path / 'a'
    save_inputs(str(run_dir))
    touch(run_dir / 'epoch_1.pth')
    (run_dir / 'last_checkpoint').write_text(str(run_dir / 'epoch_1.pth'))
    ExperimentRunner(repo).run(Run('a.py', 3, str(run_dir)))
    train, _ = calls(repo)
    assert train[-1] == '--resume'


@pytest.mark.integration
def test_run_tested_on_the_other_checkpoint_is_only_tested(repo, tmp_path):
    run_dir = str(tmp_path / 'a')
    save_record(run_dir, 'epoch_1.pth')
    best = touch(osp.join(run_dir, 'best_acc_top1_epoch_1.pth'))
    record, skipped = ExperimentRunner(repo).run(
        Run('a.py', 3, run_dir, checkpoint='best'))
    assert not skipped and record.checkpoint == osp.basename(best)
    assert [call[:3] for call in calls(repo)] == [
        ['test', osp.abspath('a.py'), best]]


@pytest.mark.integration
def test_run_without_its_predictions_is_tested_again(repo, tmp_path):
    run_dir = str(tmp_path / 'a')
    save_record(run_dir)
    touch(osp.join(run_dir, 'epoch_1.pth'))
    touch(osp.join(run_dir, 'test_predictions.pkl'))  # older: never read
    run = Run('a.py', 3, run_dir, dump=True)
    assert ExperimentRunner(repo).run(run)[1] is False
    assert [call[0] for call in calls(repo)] == ['test']
    assert osp.isfile(osp.join(run_dir, PREDICTIONS_FILE))


@pytest.mark.integration
def test_inputs_are_recorded_and_a_change_is_refused(repo, tmp_path):
    run_dir = str(tmp_path / 'a')
    run = Run('a.py', 3, run_dir)
    ExperimentRunner(repo).run(run)
    with open(osp.join(run_dir, INPUTS_FILE)) as f:
        assert set(json.load(f)) == {'config', 'data.txt'}
    assert ExperimentRunner(repo).run(run)[1] is True
    (tmp_path / 'data.txt').write_text('clip_0.mp4 1\n')  # other data
    with pytest.raises(RunError, match=r'holds a run of other inputs '
                       r'\(changed: data\.txt\)'):
        ExperimentRunner(repo).run(run)
    with pytest.raises(RunError, match=r'changed: config'):
        ExperimentRunner(repo).run(Run('a.py', 3, run_dir, options=('x=2', )))
    assert len(calls(repo)) == 2  # nothing trained or tested again


@pytest.mark.integration
def test_a_run_without_recorded_inputs_is_refused(repo, tmp_path):
    run_dir = str(tmp_path / 'a')
    RunRecord(config='a.py', seed=3, checkpoint='epoch_1.pth',
              metrics={}).save(run_dir)
    with pytest.raises(RunError, match='without inputs.json'):
        ExperimentRunner(repo).run(Run('a.py', 3, run_dir))
    assert calls(repo) == []


@pytest.mark.integration
def test_log_to_file_prints_notes_and_logs_the_tools(repo, tmp_path, capsys):
    run_dir = tmp_path / 'a'
    ExperimentRunner(repo, log_to_file=True).run(Run('a.py', 3, str(run_dir)))
    assert capsys.readouterr().out == 'train ... test epoch_1.pth ... '
    log = (run_dir / 'run.log').read_text()
    assert log.count('\n$ ') == 2 and 'fake training of' in log


@pytest.mark.integration
def test_grid_reports_a_failed_run_and_goes_on(repo, tmp_path, capsys):
    broken = Run('broken.py', 3, str(tmp_path / 'broken' / 'seed3'))
    done = Run('a.py', 3, str(tmp_path / 'a' / 'seed3'))
    record = save_record(done.run_dir)
    fresh = Run('b.py', 5, str(tmp_path / 'b' / 'seed5'))
    records, failed = run_grid(
        ExperimentRunner(repo, log_to_file=True), [broken, done, fresh])
    assert records[0] is None and records[1] == record
    assert records[2].checkpoint == 'epoch_1.pth'
    assert failed == ['broken seed 3: train exited with 3']
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r'\[1/3\] broken seed 3: train \.\.\. FAILED after '
                        r'\d+ s: train exited with 3', out[0])
    assert out[1] == f'  {broken.run_dir}/run.log ends with:'
    assert 'fake training of' in '\n'.join(out[2:-2])
    assert out[-2] == (f'[2/3] a seed 3: skipped, done before '
                       f'({done.run_dir}/metrics.json)')
    assert re.fullmatch(r'\[3/3\] b seed 5: train \.\.\. test epoch_1\.pth '
                        r'\.\.\. done in \d+ s', out[-1])
    assert RunRecord.load(broken.run_dir) is None


def test_grid_reports_a_missing_checkpoint(tmp_path, capsys):
    run = Run('a.py', 3, str(tmp_path / 'a'), checkpoint='best')
    save_record(run.run_dir)
    records, failed = run_grid(ExperimentRunner(str(tmp_path / 'no_repo')),
                               [run])
    assert records == [None]
    assert failed == [
        f'a seed 3: --checkpoint best needs one best_*.pth in {run.run_dir}'
        ', found 0'
    ]
    assert capsys.readouterr().out.startswith('[1/1] a seed 3: FAILED after')


def test_run_label_names_its_variant():
    run = Run('configs/kd/kd_r18.py', 3, '/runs/kd_r18/seed3')
    assert run.label == 'kd_r18 seed 3'
    control = Run('configs/kd/kd_r18.py', 3, '/runs/x', variant='scrambled '
                  'teacher')
    assert control.label == 'kd_r18 (scrambled teacher) seed 3'


def test_has_teacher_reads_the_heads_with_the_options(tmp_path):
    distiller = tmp_path / 'distiller.py'
    distiller.write_text("model = dict(type='D', heads=[dict(type='H')])\n")
    student = tmp_path / 'student.py'
    student.write_text("model = dict(type='S')\n")
    assert has_teacher(str(distiller))
    assert not has_teacher(str(student))
    assert not has_teacher(str(distiller), ['model.heads=[]'])
    assert has_teacher(str(student), ['model.heads=[h]'])


def test_trust_of_the_last_epoch_joins_the_record(tmp_path):
    assert read_trust(str(tmp_path)) == {}
    (tmp_path / 'trust.json').write_text(json.dumps([
        {'epoch': 1, 'trust/auc': 0.6},
        {'epoch': 2, 'trust/auc': 0.9, 'trust/recall': 0.5},
    ]))
    assert read_trust(str(tmp_path)) == {'trust/auc': 0.9,
                                         'trust/recall': 0.5}
    (tmp_path / 'trust.json').write_text('{"epoch": 1')
    with pytest.raises(RunError, match='trust.json is not JSON'):
        read_trust(str(tmp_path))
