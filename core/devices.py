"""Which devices this PyTorch can use, why the others can't, how to synchronise them and read their memory."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch

DEVICE_NAMES = ("cpu", "cuda", "mps")


@dataclass(frozen=True, kw_only=True)
class DeviceInfo:
    """One device kind and whether it is usable; `reason` is a code the UI translates."""

    name: str
    available: bool
    reason: str  # "ok", "not_built" (this torch build lacks it) or "no_hardware"
    label: str  # a human name: the GPU model, or the CPU's core count
    cores: int = 0  # the CPU's logical cores (0 for other devices), for the page to say in its language


@dataclass(frozen=True, kw_only=True)
class MemoryStatus:
    """Memory figures for one device, in bytes; peak/allocated are None where no allocator reports them."""

    device: str
    total: int
    available: int
    allocated: int | None = None
    peak: int | None = None


def list_devices() -> tuple[DeviceInfo, ...]:
    """Every device kind in DEVICE_NAMES, available or not, with the reason."""
    return (_cpu_info(), _cuda_info(), _mps_info())


def available_device_names() -> tuple[str, ...]:
    """Names of the devices that can run tensors now, cpu first."""
    return tuple(d.name for d in list_devices() if d.available)


def _cpu_info() -> DeviceInfo:
    cores = os.cpu_count() or 1
    return DeviceInfo(name="cpu", available=True, reason="ok", label=f"{cores} cores", cores=cores)


def _cuda_info() -> DeviceInfo:
    if not torch.backends.cuda.is_built():
        return _unavailable("cuda", "not_built")
    if not torch.cuda.is_available():
        return _unavailable("cuda", "no_hardware")
    return DeviceInfo(name="cuda", available=True, reason="ok", label=torch.cuda.get_device_name(0))


def _mps_info() -> DeviceInfo:
    if not torch.backends.mps.is_built():
        return _unavailable("mps", "not_built")
    if not torch.backends.mps.is_available():
        return _unavailable("mps", "no_hardware")
    return DeviceInfo(name="mps", available=True, reason="ok", label="Apple GPU")


def _unavailable(name: str, reason: str) -> DeviceInfo:
    return DeviceInfo(name=name, available=False, reason=reason, label="")


def synchronize(device: str | torch.device) -> None:
    """Wait until queued work on `device` is finished, so a clock read after it is honest."""
    kind = torch.device(device).type
    if kind == "cuda":
        torch.cuda.synchronize()
    elif kind == "mps":
        torch.mps.synchronize()


def memory_status(device: str | torch.device) -> MemoryStatus:
    """Total and available memory of `device`; on CUDA also the allocator's allocated and peak bytes."""
    kind = torch.device(device).type
    if kind == "cuda":
        free, total = torch.cuda.mem_get_info()
        return MemoryStatus(
            device="cuda",
            total=total,
            available=free,
            allocated=torch.cuda.memory_allocated(),
            peak=torch.cuda.max_memory_allocated(),
        )
    if kind == "mps":
        total = torch.mps.recommended_max_memory()
        return MemoryStatus(device="mps", total=total, available=total - torch.mps.current_allocated_memory())
    total, available = _cpu_memory()
    return MemoryStatus(device="cpu", total=total, available=available)


def _cpu_memory() -> tuple[int, int]:
    """(total, available) RAM from /proc/meminfo, or from sysconf where that file is missing."""
    try:
        fields = {}
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                name, _, rest = line.partition(":")
                fields[name] = int(rest.split()[0]) * 1024
        return fields["MemTotal"], fields.get("MemAvailable", fields["MemFree"])
    except (OSError, KeyError, ValueError, IndexError):
        page = os.sysconf("SC_PAGE_SIZE")
        return page * os.sysconf("SC_PHYS_PAGES"), page * os.sysconf("SC_AVPHYS_PAGES")
