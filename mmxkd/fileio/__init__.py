# Copyright (c) mmxkd contributors. All rights reserved.
"""File input and output: atomic writing, strict ``.npy`` reading, the
trust log, one writer per work directory."""
from .atomic import (TMP_MARK, AtomicFile, atomic_open,
                     remove_stale_temp_files, save_json, save_torch,
                     write_lines)
from .npy import (load_spectrogram, load_teacher_feature, save_npy_atomic,
                  spectrogram_complete)
from .trust_log import TRUST_FILE, load_trust_entries
from .work_dir_lock import WRITER_LOCK_FILE, WorkDirBusy, hold_work_dir

__all__ = [
    'TMP_MARK', 'AtomicFile', 'atomic_open', 'remove_stale_temp_files',
    'save_json', 'save_torch', 'write_lines', 'load_spectrogram',
    'load_teacher_feature', 'save_npy_atomic', 'spectrogram_complete',
    'TRUST_FILE', 'load_trust_entries', 'WRITER_LOCK_FILE', 'WorkDirBusy',
    'hold_work_dir'
]
