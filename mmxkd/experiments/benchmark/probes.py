# Copyright (c) mmxkd contributors. All rights reserved.
"""The machine and the memory of the benchmark: host RSS (Linux
``/proc``), GPU memory, the device check and a summary of the machine."""
import os
import platform
import resource
from typing import Optional

import torch

import mmxkd

MIB = 2**20


class RssProbe:
    """Resident memory of this process, read from ``/proc/self`` (Linux).

    ``rss`` and ``peak`` return None where ``/proc/self`` is missing;
    ``reset_peak`` returns False where the kernel refuses to reset the
    high-water mark, and ``peak`` is then the process's peak so far.
    """

    def __init__(self) -> None:
        self._peak_seen = 0

    @staticmethod
    def rss() -> Optional[int]:
        """The current RSS in bytes."""
        try:
            with open('/proc/self/statm') as f:
                return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
        except OSError:
            return None

    def reset_peak(self) -> bool:
        """Set the RSS high-water mark (``VmHWM``) to the current RSS, after
        reading it (for :meth:`process_peak`)."""
        self.peak()
        try:
            with open('/proc/self/clear_refs', 'w') as f:
                f.write('5')
            return True
        except OSError:
            return False

    def peak(self) -> Optional[int]:
        """The RSS high-water mark (``VmHWM``) in bytes, since the last
        reset."""
        try:
            with open('/proc/self/status') as f:
                line = next(x for x in f if x.startswith('VmHWM:'))
        except (OSError, StopIteration):
            return None
        value = int(line.split()[1]) * 1024
        self._peak_seen = max(self._peak_seen, value)
        return value

    def process_peak(self) -> int:
        """This process's peak RSS in bytes (its dataloader workers are
        processes of their own): ``getrusage``'s ``ru_maxrss`` or, if
        higher, any high-water mark read, each reset included."""
        self.peak()
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return max(maxrss, self._peak_seen)


class CudaMemoryProbe:
    """Memory allocated by tensors on one CUDA device.

    Args:
        device: The CUDA device, e.g. ``'cuda'`` or ``'cuda:1'``.
    """

    def __init__(self, device: str) -> None:
        self.device = torch.device(device)

    def allocated(self) -> int:
        """Bytes allocated now (``torch.cuda.memory_allocated``)."""
        return torch.cuda.memory_allocated(self.device)

    def reset_peak(self) -> None:
        """Start a new peak (``torch.cuda.reset_peak_memory_stats``)."""
        torch.cuda.reset_peak_memory_stats(self.device)

    def peak(self) -> int:
        """Bytes allocated at most since the last reset
        (``torch.cuda.max_memory_allocated``)."""
        return torch.cuda.max_memory_allocated(self.device)


def check_device(device: str) -> torch.device:
    """The device ``device`` names, checked to be usable.

    Args:
        device: A torch device string (``'cpu'``, ``'cuda'``, ``'cuda:1'``).

    Raises:
        RuntimeError: If it is a CUDA device and CUDA is unavailable, or
            the device index is out of range.
    """
    parsed = torch.device(device)
    if parsed.type != 'cuda':
        return parsed
    if not torch.cuda.is_available():
        raise RuntimeError(
            f'CUDA is required for device {device!r}, and '
            f'torch.cuda.is_available() is False here (torch '
            f'{torch.__version__}, built with CUDA {torch.version.cuda})')
    if parsed.index is not None and \
            parsed.index >= torch.cuda.device_count():
        raise RuntimeError(
            f'device {device!r}: this machine has '
            f'{torch.cuda.device_count()} CUDA device(s)')
    return parsed


def machine_info(device: str = 'cpu') -> dict:
    """CPU count (all, and usable by this process), torch version and
    intra-op threads, mmxkd version, platform, and the GPU's name (None on
    a device other than CUDA).

    Args:
        device: The benchmark device.
    """
    gpu = torch.cuda.get_device_name(device) \
        if torch.device(device).type == 'cuda' else None
    return dict(
        cpu_count=os.cpu_count(),
        cpus_usable=len(os.sched_getaffinity(0)),
        torch=torch.__version__,
        threads=torch.get_num_threads(),
        mmxkd=mmxkd.__version__,
        platform=platform.platform(),
        processor=platform.processor() or platform.machine(),
        gpu=gpu)


def _mib(value: Optional[int]) -> Optional[float]:
    return None if value is None else value / MIB
