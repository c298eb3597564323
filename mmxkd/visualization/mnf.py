# Copyright (c) mmxkd contributors. All rights reserved.
"""Pictures of the Modality Noise Filter (MNF) of an :class:`MNFCSCHead`:
where its attention looks in each clip and how its gate weighs the teacher.

:func:`mnf_clips` runs a batch through a distiller and returns, per clip, the
sampled frames, the MNF's attention on the student's token grid and the gate
values; :func:`draw_mnf_clip` draws one clip as an RGB picture (and PNG).
"""
import os
import os.path as osp
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from mmengine.dataset import BaseDataset, pseudo_collate
from torch import Tensor

from mmxkd.models.heads import MNFCSCHead
from mmxkd.models.utils import to_tokens


@dataclass
class MNFClip:
    """What the MNF does on one clip.

    Attributes:
        name: The clip's file, relative to the data prefix.
        label: The ground-truth label (class indices, comma separated when
            multi-label).
        frames: The student's input frames, un-normalised: (T, H, W, 3)
            uint8 in the channel order the student sees (RGB for
            decord-decoded videos).
        attention: The MNF attention over the student's tokens, averaged
            over heads, on the token grid: (T', H', W'), summing to 1.
        gate: The gate values over the teacher dimensions: (Da, ) in (0, 1).
    """
    name: str
    label: str
    frames: np.ndarray
    attention: np.ndarray
    gate: np.ndarray

    @property
    def num_tokens(self) -> int:
        """L = T' * H' * W'."""
        return int(self.attention.size)


def find_mnf_head(model: nn.Module,
                  head: Optional[str] = None) -> Tuple[str, MNFCSCHead]:
    """The MNF + CSC head of a distiller.

    Args:
        model: A :class:`CrossModalDistiller` (unwrapped).
        head: The head's name in ``model.distill_heads``; by default the
            first :class:`MNFCSCHead`.

    Returns:
        The head's name and the head.

    Raises:
        TypeError: ``model`` has no ``distill_heads``.
        ValueError: No such head, the named head is not an
            :class:`MNFCSCHead`, or the model has none.
    """
    heads = getattr(model, 'distill_heads', None)
    if not isinstance(heads, nn.ModuleDict):
        raise TypeError('MNF pictures need a CrossModalDistiller with an '
                        f'MNFCSCHead, got {type(model).__name__}')
    if head is not None:
        if head not in heads:
            raise ValueError(f'model.distill_heads has no head "{head}" '
                             f'(heads: {sorted(heads) or "none"})')
        if not isinstance(heads[head], MNFCSCHead):
            raise ValueError(f'model.distill_heads.{head} is a '
                             f'{type(heads[head]).__name__}, not an '
                             'MNFCSCHead')
        return head, heads[head]
    for name, module in heads.items():
        if isinstance(module, MNFCSCHead):
            return name, module
    found = {name: type(module).__name__ for name, module in heads.items()}
    raise ValueError('MNF pictures need an MNFCSCHead in model.distill_heads, '
                     f'got {found or "no heads"}')


def unnormalize_frames(clip: Tensor,
                       data_preprocessor: nn.Module) -> np.ndarray:
    """The frames of one preprocessed clip, back in pixel values.

    Args:
        clip: One clip as the student receives it, (C, T, H, W) with C = 3.
        data_preprocessor: The model's data preprocessor; its ``mean`` and
            ``std`` (MMAction2's ``ActionDataPreprocessor``), if it
            normalises, are undone.

    Returns:
        (T, H, W, 3) uint8.

    Raises:
        ValueError: ``clip`` is not (3, T, H, W).
    """
    if clip.dim() != 4 or clip.size(0) != 3:
        raise ValueError('MNF pictures need RGB clips (3, T, H, W), got '
                         f'{tuple(clip.shape)}')
    clip = clip.detach().float()
    if getattr(data_preprocessor, '_enable_normalize', False):
        clip = clip * data_preprocessor.std.to(clip) + \
            data_preprocessor.mean.to(clip)
    return clip.clamp(0, 255).round().to(torch.uint8).permute(
        1, 2, 3, 0).cpu().numpy()


def label_text(gt_label: Tensor) -> str:
    """A data sample's ``gt_label`` as text.

    Args:
        gt_label: A class index (1, ) or a multi-hot vector (C, ).

    Returns:
        The class index, or the comma-separated indices of the positive
        classes.
    """
    gt_label = gt_label.view(-1)
    if gt_label.numel() == 1:
        return str(int(gt_label))
    return ','.join(str(int(i)) for i in torch.nonzero(gt_label > 0).view(-1))


@torch.no_grad()
def mnf_clips(model: nn.Module,
              data_batch: dict,
              names: Sequence[str],
              head: Optional[str] = None) -> List[MNFClip]:
    """Run a batch through a distiller and read its MNF.

    The model runs in eval mode (its mode is restored afterwards): the
    student's feature map, flattened into tokens as the distiller does
    (:func:`mmxkd.models.utils.to_tokens`), the teachers' features and the
    MNF of ``head`` over both.

    Args:
        model: A :class:`CrossModalDistiller` (unwrapped) with a 3-D student.
        data_batch: A collated batch (``inputs``, ``data_samples``), as a
            dataloader gives it, with the teacher's inputs (e.g. the
            ``teacher_feat`` of ``LoadTeacherFeature``).
        names: The clips' names, one per sample.
        head: The :class:`MNFCSCHead`'s name (see :func:`find_mnf_head`).

    Returns:
        One :class:`MNFClip` per sample.

    Raises:
        ValueError: ``names`` does not match the batch, the student's
            feature map is not (N, C, T', H', W') or a sample has several
            clips.

    Shapes:
        inputs (N, 1, 3, T, H, W) after the data preprocessor; student
        feature map (N, Dv, T', H', W'); tokens (N, L, Dv) with
        L = T' * H' * W'; teacher feature (N, Da).
    """
    _, mnf_head = find_mnf_head(model, head)
    was_training = model.training
    model.eval()
    try:
        data = model.data_preprocessor(data_batch, training=False)
        inputs, data_samples = data['inputs'], data['data_samples']
        if len(names) != len(data_samples):
            raise ValueError(f'{len(names)} names for {len(data_samples)} '
                             'samples')
        feats, kwargs = model.student.extract_feat(
            inputs, data_samples=data_samples)
        feat_map = feats[-1] if isinstance(feats, (tuple, list)) else feats
        if feat_map.dim() != 5:
            raise ValueError(
                'MNF pictures need a 3-D student feature map (N, C, T, H, '
                f'W), got {tuple(feat_map.shape)}')
        if feat_map.size(0) != len(data_samples):
            raise ValueError(
                f'{feat_map.size(0)} student clips for {len(data_samples)} '
                'samples: use one clip per sample (SampleFrames num_clips=1)')
        tokens = to_tokens(feats, kwargs.get('num_segs'))
        teacher_feats, _ = model.run_teachers(inputs, data_samples)
        out = mnf_head.mnf(teacher_feats[mnf_head.teacher], tokens)
    finally:
        model.train(was_training)
    grid = feat_map.shape[2:]
    attention = out['attention'].view(-1, *grid).float().cpu().numpy()
    gate = out['gate'].float().cpu().numpy()
    clips = inputs.reshape(len(data_samples), *inputs.shape[-4:])
    return [
        MNFClip(
            name=name,
            label=label_text(sample.gt_label),
            frames=unnormalize_frames(clip, model.data_preprocessor),
            attention=attn,
            gate=g) for name, sample, clip, attn, g in zip(
                names, data_samples, clips, attention, gate)
    ]


def clip_name(dataset: BaseDataset, index: int) -> str:
    """A sample's clip: its ``relpath`` (``AudioVisualDataset``), else its
    ``filename``.

    Args:
        dataset: The samples.
        index: The sample.

    Returns:
        The name.
    """
    info = dataset.get_data_info(index)
    return info.get('relpath') or info['filename']


def clip_stem(name: str) -> str:
    """``train/clip_00003.mp4`` -> ``clip_00003``.

    Args:
        name: A clip's file.

    Returns:
        Its file name without folders and extension.
    """
    return osp.splitext(osp.basename(name))[0]


def collect_mnf_clips(model: nn.Module,
                      dataset: BaseDataset,
                      indices: Sequence[int],
                      head: Optional[str] = None,
                      batch_size: int = 8) -> List[MNFClip]:
    """:func:`mnf_clips` over samples of a dataset.

    Args:
        model: A :class:`CrossModalDistiller` (unwrapped).
        dataset: Samples with the teacher's inputs (see
            :func:`mmxkd.visualization.build_mnf_dataset`), named by
            :func:`clip_name`.
        indices: Which samples.
        head: The :class:`MNFCSCHead`'s name (see :func:`find_mnf_head`).
        batch_size: Samples per forward pass.

    Returns:
        One :class:`MNFClip` per index, in order.
    """
    clips: List[MNFClip] = []
    for start in range(0, len(indices), batch_size):
        batch = list(indices[start:start + batch_size])
        clips += mnf_clips(model, pseudo_collate([dataset[i] for i in batch]),
                           [clip_name(dataset, i) for i in batch], head)
    return clips


def temporal_token(frame: int, num_frames: int, num_steps: int) -> int:
    """The temporal token index t' of a frame (the frames of a clip split
    evenly over the T' temporal tokens).

    Args:
        frame: The frame index t in [0, T).
        num_frames: T.
        num_steps: T'.

    Returns:
        ``floor(t * T' / T)``.
    """
    return frame * num_steps // num_frames


def mnf_title(clip: MNFClip) -> str:
    """The title of a clip's picture: its name, label and token grid.

    Args:
        clip: The clip.

    Returns:
        The title; with a single token (L = 1) a second line says that the
        attention cannot select.
    """
    grid = 'x'.join(str(n) for n in clip.attention.shape)
    title = f'{clip.name}   label {clip.label}   MNF attention over ' \
        f'L = {clip.num_tokens} tokens ({grid})'
    if clip.num_tokens == 1:
        title += '\nL = 1 token: attention cannot select'
    return title


def draw_mnf_clip(clip: MNFClip,
                  out_file: Optional[str] = None,
                  frame_inches: float = 1.3,
                  dpi: int = 100) -> np.ndarray:
    """Draw what the MNF does on one clip.

    Top row: the sampled frames, each under the attention of its temporal
    token (a heatmap over the H' x W' tokens, upsampled to the frame; one
    colour scale for the whole clip, from its smallest to its largest
    attention, the colour bar marking the uniform 1/L); below: the gate
    value of every teacher dimension. The title (:func:`mnf_title`) names
    the clip, its label and its token grid.

    Args:
        clip: The clip (:func:`mnf_clips`).
        out_file: Also write the picture there as a PNG (folders created).
        frame_inches: Width of one frame in inches.
        dpi: Dots per inch.

    Returns:
        The picture, RGB (H, W, 3) uint8 (what ``out_file`` holds).
    """
    num_frames, height, width = clip.frames.shape[:3]
    steps = clip.attention.shape[0]
    frame_h = frame_inches * height / width
    fig = Figure(
        figsize=(frame_inches * num_frames + 0.8, frame_h + 2.4), dpi=dpi)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(
        2, num_frames + 1,
        height_ratios=(frame_h, 1.1),
        width_ratios=(1, ) * num_frames + (0.08, ),
        hspace=0.55,
        wspace=0.05,
        left=0.05,
        right=0.92,
        top=1 - 0.6 / (frame_h + 2.4),
        bottom=0.45 / (frame_h + 2.4))
    vmin, vmax = float(clip.attention.min()), float(clip.attention.max())
    if vmax - vmin < 1e-6:  # uniform, e.g. a single token
        vmin, vmax = 0.0, 1.0
    for t in range(num_frames):
        ax = fig.add_subplot(grid[0, t])
        ax.imshow(clip.frames[t])
        token = temporal_token(t, num_frames, steps)
        heat = ax.imshow(
            clip.attention[token],
            cmap='jet',
            alpha=0.35,
            vmin=vmin,
            vmax=vmax,
            interpolation='nearest',
            extent=(-0.5, width - 0.5, height - 0.5, -0.5))
        ax.set_title(f't={t}, t\'={token}', fontsize=7)
        ax.set_axis_off()
    colorbar = fig.colorbar(heat, cax=fig.add_subplot(grid[0, -1]))
    colorbar.ax.tick_params(labelsize=6)
    colorbar.ax.axhline(1 / clip.num_tokens, color='black', linewidth=1.5)
    colorbar.set_label('attention (line: uniform 1/L)', fontsize=6)
    fig.suptitle(mnf_title(clip), fontsize=8)
    ax = fig.add_subplot(grid[1, :-1])
    dims = np.arange(clip.gate.size)
    ax.bar(dims, clip.gate, width=1.0, color='tab:blue')
    ax.set_xlim(-0.5, clip.gate.size - 0.5)
    ax.set_ylim(0, 1)
    ax.set_xlabel('teacher dimension', fontsize=7)
    ax.set_ylabel('gate', fontsize=7)
    ax.tick_params(labelsize=6)
    ax.set_title(
        f'gate over Da = {clip.gate.size}: mean {clip.gate.mean():.3f}, '
        f'std {clip.gate.std():.3f}',
        fontsize=7)
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    if out_file is not None:
        os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
        fig.savefig(out_file, dpi=dpi, format='png')
    return image
