# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, List, Optional

from mmengine.hooks import Hook

from mmxkd.registry import HOOKS


@HOOKS.register_module()
class MNFHealthHook(Hook):
    """Warn, after each training epoch, when the MNF did nothing in it.

    It reads the statistics that :class:`MNFCSCHead` logs every iteration
    (runs without them are not checked) and warns, naming the epoch and the
    figures, when

    - the gate stayed within ``gate_band`` of 0.5 on every clip of every
      iteration (``mnf_gate_min`` / ``mnf_gate_max``): it filtered nothing;
    - the triplet term ``loss_tri`` was at most ``zero`` on every
      iteration: it no longer shapes the gate (a projection bias satisfied
      it on GRID before the projection lost its bias).

    Args:
        gate_band (float): Half-width of the band around 0.5.
            Defaults to 0.1.
        zero (float): Largest ``loss_tri`` counted as zero. Defaults to 1e-6.
    """

    priority = 'LOW'

    def __init__(self, gate_band: float = 0.1, zero: float = 1e-6) -> None:
        self.gate_band = gate_band
        self.zero = zero
        self._epoch: Dict[str, List[float]] = {}

    def before_train_epoch(self, runner) -> None:
        self._epoch = {}

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        for key in ('mnf_gate_min', 'mnf_gate_max', 'loss_tri'):
            if outputs and key in outputs:
                self._epoch.setdefault(key, []).append(float(outputs[key]))

    def after_train_epoch(self, runner) -> None:
        for message in self.problems(runner.epoch + 1):
            runner.logger.warning(message)

    def problems(self, epoch: int) -> List[str]:
        """What this epoch's statistics say went wrong (1-based epoch)."""
        found = []
        lows, highs = self._epoch.get('mnf_gate_min'), self._epoch.get(
            'mnf_gate_max')
        if lows and highs and min(lows) >= 0.5 - self.gate_band and max(
                highs) <= 0.5 + self.gate_band:
            found.append(
                f'MNFHealthHook: in epoch {epoch} every gate value stayed in '
                f'[{min(lows):.3f}, {max(highs):.3f}], within '
                f'{self.gate_band} of 0.5: the MNF gate filters nothing')
        triplet = self._epoch.get('loss_tri')
        if triplet and max(triplet) <= self.zero:
            found.append(
                f'MNFHealthHook: loss_tri was 0 on all {len(triplet)} '
                f'iterations of epoch {epoch}: the triplet no longer trains '
                'the gate (is the teacher projection biased? '
                'ModalityNoiseFilter.teacher_proj_bias)')
        return found
