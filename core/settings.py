"""The one Settings type: what every computation runs under, and the provenance every report carries."""

from __future__ import annotations

import platform
from dataclasses import dataclass

import torch

from core.devices import list_devices
from core.tensors import DTYPES

DEFAULT_THREADS = torch.get_num_threads()
MAX_SEED = 2**31 - 1


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Device, dtype, seed and intra-op threads: read from the sidebar by pages, from options by the CLI.

    The learner's language and presenter mode change how results are shown, never what is computed, so they
    live in the UI (dashboard.i18n, dashboard.presenter), and a result keyed by Settings is shared across them.
    """

    device: str = "cpu"
    dtype: str = "float32"
    seed: int = 0
    threads: int = DEFAULT_THREADS

    @property
    def torch_dtype(self) -> torch.dtype:
        return DTYPES[self.dtype]


def provenance(settings: Settings, **page: object) -> dict[str, object]:
    """Settings, torch version, device name and thread count, carried by every export and CLI report."""
    label = next(d.label for d in list_devices() if d.name == torch.device(settings.device).type)
    if torch.device(settings.device).type == "cpu":
        label = f"{platform.processor() or platform.machine()} ({label})"
    return {
        "settings": {"device": settings.device, "dtype": settings.dtype, "seed": settings.seed, **page},
        "torch_version": torch.__version__,
        "device_name": label,
        "threads": settings.threads,
    }
