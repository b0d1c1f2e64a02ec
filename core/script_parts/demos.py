"""The pitfalls page's routines for scripts: a demo run as the page runs it, and GPU work timed with and without a
synchronise."""

import time
import warnings
from collections.abc import Callable

import torch

from core.script_parts.timer import median_seconds


def show(function: Callable[[torch.Tensor], object], x: torch.Tensor) -> None:
    """Run one demo: what it prints, its return value, its warnings and the error it raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = function(x)
            if value is not None:
                print(value)
        except Exception as exc:
            print(f"{type(exc).__name__}: {exc}")
    for warning in caught:
        print(f"UserWarning: {warning.message}")


def time_both_ways(size: int, device: str, dtype: torch.dtype, budget_s: float) -> None:
    """A size x size matrix product timed naively (one call between two clock reads, no synchronise: on a GPU that
    sees only the launch) and by torch.utils.benchmark, which synchronises."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)
    b = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)
    a @ b  # one warm-up call, so both figures time steady-state work
    if a.device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    a @ b
    naive = time.perf_counter() - start
    synced = median_seconds(lambda: a @ b, budget_s)
    print(f"naive {naive:.3e} s, synchronised {synced:.3e} s, under-report {synced / naive:.1f}x")
