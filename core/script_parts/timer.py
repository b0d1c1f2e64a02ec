"""The page's timer for scripts: torch.utils.benchmark's adaptive_autorange, set up as core.timing.measure sets it."""

from collections.abc import Callable

import torch
from torch.utils import benchmark


def median_seconds(call: Callable[[], object], budget_s: float, clock: Callable[[], float] | None = None) -> float:
    """Median seconds per `call()` within about `budget_s` s: blocks of calls sized by warm-up calls, timed until
    their spread is under 10% of the median or the budget is spent (torch's clock synchronises CUDA first)."""
    clock_option = {} if clock is None else {"timer": clock}
    timer = benchmark.Timer(stmt="call()", globals={"call": call}, num_threads=torch.get_num_threads(), **clock_option)
    return timer.adaptive_autorange(threshold=0.1, min_run_time=budget_s / 4, max_run_time=budget_s).median
