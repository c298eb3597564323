# Copyright (c) mmxkd contributors. All rights reserved.
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmaction.utils import SampleList
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint
from torch import Tensor

from mmxkd.fileio import load_teacher_feature, save_npy_atomic
from mmxkd.registry import MODELS
from ..utils import to_tokens


@MODELS.register_module()
class NetworkTeacher(nn.Module):
    """A frozen teacher network built from its config and checkpoint, run on
    each clip's teacher input (e.g. its spectrogram) in the same batch.

    Its feature is the pooled backbone output, the embedding the teacher's
    classifier sees (``tools/extract_teacher_features.py`` writes the same
    vector to disk). Outputs are cached by sound and input view (the
    ``sound_relpath`` and ``{input_key}_view`` fields that
    ``PackActionInputs(algorithm_keys=...)`` attaches; ``sound_relpath`` is
    the clip whose sound a sample carries, another clip's when the dataset
    swaps sounds), in memory and
    optionally on disk, so later epochs skip the teacher's forward pass.
    A view that changes every epoch (random crops) is cached per view.

    Args:
        config (str | dict): The teacher's config file (its ``model``) or a
            model config.
        checkpoint (str, optional): The teacher's trained weights.
        input_key (str): Data-sample field with the teacher's input, shaped
            as the teacher's own inputs (e.g. (1, 1, T, n_mels) for
            MMAction2's ``RecognizerAudio``). Defaults to ``'teacher_audio'``.
        cache_in_memory (bool): Keep computed features in memory. Defaults
            to True.
        cache_dir (str, optional): Also keep them as ``.npy`` files here.

    Shapes:
        - output: (N, Da) on the device (and floating dtype) of ``inputs``.
    """

    def __init__(self,
                 config: Union[str, dict],
                 checkpoint: Optional[str] = None,
                 input_key: str = 'teacher_audio',
                 cache_in_memory: bool = True,
                 cache_dir: Optional[str] = None) -> None:
        super().__init__()
        model_cfg = Config.fromfile(config).model if isinstance(
            config, str) else config
        with DefaultScope.overwrite_default_scope('mmxkd'):
            self.model = MODELS.build(model_cfg)
        if checkpoint is not None:
            load_checkpoint(
                self.model, checkpoint, map_location='cpu', strict=True)
        self.model.requires_grad_(False)
        self.model.eval()
        self.input_key = input_key
        self.cache_in_memory = cache_in_memory
        self.cache_dir = cache_dir
        self._memory: Dict[Tuple[str, str], Tensor] = {}

    def train(self, mode: bool = True) -> 'NetworkTeacher':
        """The teacher stays in eval mode."""
        return super().train(False)

    @torch.no_grad()
    def embed(self, inputs: Sequence[Tensor]) -> Tensor:
        """Features of a batch of teacher inputs (each as one sample of the
        teacher's own data pipeline), through its data preprocessor."""
        device = next(self.model.parameters()).device
        data = self.model.data_preprocessor(
            dict(inputs=[x.to(device) for x in inputs], data_samples=None),
            False)
        feats, kwargs = self.model.extract_feat(
            data['inputs'], stage='backbone')
        return to_tokens(feats, kwargs.get('num_segs')).mean(dim=1)

    @property
    def feat_dim(self) -> Optional[int]:
        """``Da``: the input size of the teacher's head, if it has one."""
        return getattr(getattr(self.model, 'cls_head', None), 'in_channels',
                       None)

    def check_classifier(self) -> None:
        """Raise unless the teacher's head has a linear ``fc_cls``."""
        fc_cls = getattr(getattr(self.model, 'cls_head', None), 'fc_cls', None)
        if not isinstance(fc_cls, nn.Linear):
            raise ValueError('logit distillation needs a teacher whose '
                             'cls_head has a linear fc_cls')

    def classify(self, teacher_feat: Tensor) -> Tensor:
        """The teacher's logits for its features (its head's ``fc_cls``)."""
        self.check_classifier()
        return self.model.cls_head.fc_cls(teacher_feat)

    def forward(self, inputs: Tensor, data_samples: SampleList) -> Tensor:
        keys = [self._key(sample) for sample in data_samples]
        feats: List[Optional[Tensor]] = [self._cached(key) for key in keys]
        missing = [i for i, feat in enumerate(feats) if feat is None]
        if missing:
            computed = self.embed([
                torch.as_tensor(data_samples[i].get(self.input_key))
                for i in missing
            ]).float().cpu()
            for i, feat in zip(missing, computed):
                feats[i] = feat
                self._store(keys[i], feat)
        dtype = inputs.dtype if inputs.is_floating_point() else None
        return torch.stack(feats).to(device=inputs.device, dtype=dtype)

    def _key(self, sample) -> Tuple[str, str]:
        for field in (self.input_key, 'sound_relpath'):
            if field not in sample:
                raise KeyError(
                    f'data sample has no "{field}": the train pipeline needs '
                    f"LoadAudioSpectrogram(key='{self.input_key}'), "
                    f"SpectrogramWindow(key='{self.input_key}') and "
                    "PackActionInputs(algorithm_keys=("
                    f"'{self.input_key}', '{self.input_key}_view', "
                    "'sound_relpath'))")
        return (sample.sound_relpath,
                sample.get(f'{self.input_key}_view', 'full'))

    def _disk_path(self, key: Tuple[str, str]) -> str:
        sound_relpath, view = key
        return osp.join(self.cache_dir,
                        f'{osp.splitext(sound_relpath)[0]}@{view}.npy')

    def _cached(self, key: Tuple[str, str]) -> Optional[Tensor]:
        if key in self._memory:
            return self._memory[key]
        if self.cache_dir and osp.isfile(self._disk_path(key)):
            feat = torch.from_numpy(
                load_teacher_feature(self._disk_path(key)))
            if self.cache_in_memory:
                self._memory[key] = feat
            return feat
        return None

    def _store(self, key: Tuple[str, str], feat: Tensor) -> None:
        if self.cache_in_memory:
            self._memory[key] = feat
        if self.cache_dir:
            save_npy_atomic(self._disk_path(key), feat.numpy())
