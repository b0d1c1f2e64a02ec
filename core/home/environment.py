"""What this PyTorch runs on: versions, devices and threads, for the home page's environment card."""

from __future__ import annotations

import platform
from dataclasses import dataclass

import torch

from core.devices import DeviceInfo, list_devices


@dataclass(frozen=True, kw_only=True)
class Environment:
    torch_version: str
    python_version: str
    platform: str
    threads: int
    devices: tuple[DeviceInfo, ...]


def read_environment() -> Environment:
    """Read the running interpreter's torch version, devices and default thread count."""
    return Environment(
        torch_version=torch.__version__,
        python_version=platform.python_version(),
        platform=platform.platform(terse=True),
        threads=torch.get_num_threads(),
        devices=list_devices(),
    )
