# Copyright (c) mmxkd contributors. All rights reserved.
from typing import Dict, Optional

from mmengine.dataset import BaseDataset
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmxkd.registry import HOOKS
from mmxkd.visualization import (build_mnf_dataset, clip_stem,
                                 collect_mnf_clips, draw_mnf_clip,
                                 find_mnf_head)


@HOOKS.register_module()
class MNFVisualizationHook(Hook):
    """Draw the MNF of an :class:`MNFCSCHead` on training clips after
    validation, into the runner's visualizer.

    After each validation at an epoch that is a multiple of ``interval``,
    the first ``num_clips`` training clips are drawn
    (:func:`~mmxkd.visualization.draw_mnf_clip`: frames under the MNF
    attention, gate values) and passed to
    ``runner.visualizer.add_image('mnf_<clip stem>', image, step=epoch)``,
    so they land in every visualizer backend: ``LocalVisBackend`` writes
    ``<work_dir>/<timestamp>/vis_data/vis_image/mnf_<stem>_<epoch>.png``,
    ``TensorboardVisBackend`` an image summary. The clips go through the
    validation transforms and the training pipeline's teacher-loading steps
    (:func:`~mmxkd.visualization.build_mnf_dataset`), so each epoch shows
    the same views. Drawn on the main process only.

    Args:
        interval (int): Draw after validations at epochs that are multiples
            of it. Defaults to 1.
        num_clips (int): How many of the first training clips. Defaults to
            2.
        head (str, optional): The :class:`MNFCSCHead` in
            ``model.heads``; default the first.
    """

    priority = 'LOW'

    def __init__(self,
                 interval: int = 1,
                 num_clips: int = 2,
                 head: Optional[str] = None) -> None:
        if interval < 1 or num_clips < 1:
            raise ValueError('MNFVisualizationHook needs interval >= 1 and '
                             f'num_clips >= 1, got {interval}, {num_clips}')
        self.interval = interval
        self.num_clips = num_clips
        self.head = head
        self._dataset: Optional[BaseDataset] = None

    def before_run(self, runner) -> None:
        """Check that the model has the head (before any training)."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        find_mnf_head(model, self.head)

    def after_val_epoch(self,
                        runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        if runner.epoch % self.interval or not is_main_process():
            return
        if self._dataset is None:
            self._dataset = build_mnf_dataset(runner.cfg, 'train')
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        indices = range(min(self.num_clips, len(self._dataset)))
        for clip in collect_mnf_clips(model, self._dataset, indices,
                                      self.head):
            runner.visualizer.add_image(
                f'mnf_{clip_stem(clip.name)}',
                draw_mnf_clip(clip),
                step=runner.epoch)
