"""Routines that tests send to real workers: importable by name, as every job routine must be."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path

import torch


def allocate(gib: float) -> int:
    """Ask for `gib` GiB at once (a memory bomb under the worker's memory limit)."""
    return len(bytearray(int(gib * 1024**3)))


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def spin(seconds: float) -> int:
    """Busy Python for `seconds` (CPU-bound, unlike sleep)."""
    end, count = time.perf_counter() + seconds, 0
    while time.perf_counter() < end:
        count += 1
    return count


def threads() -> int:
    return torch.get_num_threads()


def grad_enabled_after_disabling() -> bool:
    """Leaves grad mode off: the next job must still start with it on."""
    torch.set_grad_enabled(False)
    return torch.is_grad_enabled()


def grad_enabled() -> bool:
    return torch.is_grad_enabled()


def pid() -> int:
    return os.getpid()


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def abort() -> None:
    os.abort()


def record(path: str, label: str, seconds: float = 0.0) -> str:
    """Append `label` to the file at `path` (one line per run), then sleep: counts how often a job really ran."""
    with open(path, "a", encoding="utf-8") as out:
        out.write(label + "\n")
    time.sleep(seconds)
    return label


def count_forever(path: str) -> None:
    """Write a rising counter to `path` until stopped: shows whether the worker runs, is paused, or is gone."""
    count = 0
    while True:
        count += 1
        with open(path + ".new", "w", encoding="utf-8") as out:
            out.write(str(count))
        os.replace(path + ".new", path)  # readers never see a half-written count
        time.sleep(0.01)


HOLD_COUNTER = Path(tempfile.gettempdir()) / "eager-lab-test-hold-counter"


def hold(*_args: object) -> None:
    """Stands in for a page's routine: runs until stopped, counting in HOLD_COUNTER."""
    count_forever(str(HOLD_COUNTER))
