# Copyright (c) mmxkd contributors. All rights reserved.
import random
from typing import Any, Dict, Optional

import numpy as np
import torch
from mmengine.hooks import Hook

from mmxkd.registry import HOOKS

RandomStates = Dict[str, Any]


def get_random_states() -> RandomStates:
    """The Python ``random``, NumPy (legacy global) and torch (CPU and
    every CUDA device) generator states, in a form that
    ``torch.load(weights_only=True)`` reads: strings, ints, floats, lists and
    tensors (NumPy's key array as an int64 tensor)."""
    version, internal, gauss = random.getstate()
    name, keys, pos, has_gauss, cached = np.random.get_state()
    states: RandomStates = dict(
        python=dict(version=version, state=list(internal), gauss=gauss),
        numpy=dict(
            name=str(name),
            keys=torch.from_numpy(np.asarray(keys, dtype=np.int64)),
            pos=int(pos),
            has_gauss=int(has_gauss),
            cached_gaussian=float(cached)),
        torch=torch.get_rng_state())
    if torch.cuda.is_available():
        states['cuda'] = torch.cuda.get_rng_state_all()
    return states


def set_random_states(states: RandomStates) -> None:
    """Restore what :func:`get_random_states` returned."""
    python = states['python']
    random.setstate(
        (python['version'], tuple(python['state']), python['gauss']))
    numpy = states['numpy']
    np.random.set_state(
        (numpy['name'], numpy['keys'].numpy().astype(np.uint32), numpy['pos'],
         numpy['has_gauss'], numpy['cached_gaussian']))
    torch.set_rng_state(states['torch'])
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Make ``--resume`` continue the random streams of an uninterrupted
    run, so that with a fixed ``randomness.seed`` (and ``deterministic``)
    a run stopped after any epoch and resumed ends with the same weights.

    Every training epoch starts from a saved state: the first from the
    state training starts with, every later one from the state its
    previous epoch's training ended with, captured in ``after_train_epoch``
    before ``CheckpointHook`` saves. Re-setting it in ``before_train_epoch``
    undoes what the validation in between drew (each ``DataLoader``
    iterator draws its base seed from the torch generator), which a resumed
    run does not repeat. Checkpoints carry that state in
    ``meta['random_states']`` (:func:`get_random_states`); a ``--resume``
    run restores it where the interrupted run would have started its next
    epoch. Loading weights with ``load_from`` alone restores nothing.

    The sampler needs nothing: MMEngine's ``DefaultSampler`` shuffles with
    its own generator seeded by ``seed + epoch``, and ``worker_init_fn``
    re-seeds dataloader workers from ``seed``, rank and worker id. With
    ``num_workers > 0`` and ``persistent_workers=False`` (workers restarted
    every epoch, from the same seeds) resuming stays exact; with
    ``persistent_workers=True`` the workers' streams continue across epochs
    in the uninterrupted run but start again in a resumed one, so their
    random transforms differ after resuming (a warning says so when such a
    run resumes). ``IterBasedTrainLoop``
    resumes to the state the run started with.
    """

    priority = 'HIGHEST'

    def __init__(self) -> None:
        self._epoch_start: Optional[RandomStates] = None

    def before_train_epoch(self, runner) -> None:
        if self._epoch_start is None:
            self._epoch_start = get_random_states()
        else:
            set_random_states(self._epoch_start)

    def after_train_epoch(self, runner) -> None:
        self._epoch_start = get_random_states()

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if self._epoch_start is not None:
            checkpoint.setdefault('meta', {})['random_states'] = \
                self._epoch_start

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if not getattr(runner, '_resume', False):
            return
        states = checkpoint.get('meta', {}).get('random_states')
        if states is None:
            runner.logger.warning(
                'the resumed checkpoint has no random states (saved without '
                'RandomStateHook): the run continues from the seed, not '
                'bit-exact')
            return
        self._epoch_start = states
        loader = runner.train_dataloader
        if loader.num_workers > 0 and loader.persistent_workers:
            runner.logger.warning(
                'resuming with persistent dataloader workers: their random '
                'streams start again from the seed, so random transforms '
                'differ from an uninterrupted run (set '
                'train_dataloader.persistent_workers=False for a bit-exact '
                'resume)')
