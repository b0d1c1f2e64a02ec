"""The one measurement engine every page uses, built on torch.utils.benchmark.

Method: `Timer.adaptive_autorange` first sizes its blocks by calling the callable (that is the warm-up:
first-call costs and errors surface before any block is timed), then times blocks of calls until the
IQR/median falls under 10% or the time budget is spent. The clock synchronises the device before every
read, the thread count is set explicitly for the measurement and restored afterwards (by the Timer's own
`num_threads`; the grad mode is restored here, even when the measured call fails), and the clock is swappable
so tests are deterministic. Median, IQR and the confidence check are torch.utils.benchmark.Measurement's own.
A `deadline` (a time.monotonic() value) ends the repetitions once passed: the blocks timed so far are the result,
marked `cut_short` (a single call that outlasts it is not interrupted: the worker's own time limit does that).

Measurements on one device must not overlap (two would share its cores and both read slow): callers pass
the device's lock; a measurement that has to wait for it says so through `on_wait` first. Each result
records when it started and ended (time.perf_counter), so overlaps can be checked.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch.utils import benchmark
from torch.utils.benchmark.utils.common import TaskSpec

from core.devices import synchronize

NOISY_IQR_SHARE = 0.10
DEFAULT_BUDGET_S = 0.2
MAX_BUDGET_S = 5.0  # hard cap: no single measurement may take longer than this
# Below 1, every measurement's budget shrinks by this factor: the test suite's parallel part sets it, because its
# tests check what a measurement shows, not how long it ran (the serial honesty tests measure at full length).
BUDGET_SCALE_ENV = "EAGER_LAB_TIMING_SCALE"


def budget_scale() -> float:
    """The factor from EAGER_LAB_TIMING_SCALE, kept within (0, 1]: 1 (full budgets) unless it is set."""
    try:
        scale = float(os.environ.get(BUDGET_SCALE_ENV, "1"))
    except ValueError:
        return 1.0
    return min(1.0, scale) if scale > 0 else 1.0


Clock = Callable[[], float]


@dataclass(frozen=True, kw_only=True)
class Measurement:
    """Seconds per call: median and IQR over blocks, how many calls ran, and the per-block times."""

    median: float
    iqr: float
    runs: int
    block_times: tuple[float, ...]
    threads: int
    device: str
    started_at: float = 0.0  # time.perf_counter() when the lock was held and timing began
    ended_at: float = 0.0
    q1: float = 0.0  # first and third quartiles of the per-block times: the IQR's ends, for error bars
    q3: float = 0.0
    noisy: bool = False  # the spread is too wide to trust the median alone (IQR 10% of it or more)
    cut_short: bool = False  # stopped at its deadline, before its budget or confidence ended it


class _PastDeadline(Exception):
    """Raised between two timed blocks once the deadline has passed, to leave torch's measurement loop."""


def device_clock(device: str) -> Clock:
    """A clock that waits for `device` to finish its queued work before reading perf_counter."""

    def clock() -> float:
        synchronize(device)
        return time.perf_counter()

    return clock


def measure(
    fn: Callable[[], object],
    *,
    device: str = "cpu",
    threads: int | None = None,
    budget_s: float = DEFAULT_BUDGET_S,
    clock: Clock | None = None,
    lock: threading.Lock | None = None,
    on_wait: Callable[[], object] | None = None,
    deadline: float | None = None,
) -> Measurement:
    """Time `fn()` on `device` with `threads` intra-op threads within about `budget_s` seconds.

    Args:
        lock: the device's lock (a threading.Lock); held for the whole measurement.
        on_wait: called once if the lock is busy, before waiting for it.
        deadline: a time.monotonic() value; past it, no further block is timed (at least one always is).
    Raises:
        Whatever `fn` raises, from the warm-up calls, before any block is timed.
    """
    if not 0 < budget_s <= MAX_BUDGET_S:
        raise ValueError(f"budget_s must be in (0, {MAX_BUDGET_S}]")
    if lock is not None and not lock.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        lock.acquire()
    threads = threads or torch.get_num_threads()
    previous_grad = torch.is_grad_enabled()
    try:
        started = time.perf_counter()
        timer = benchmark.Timer(
            stmt="fn()",
            globals={"fn": fn},
            timer=clock or device_clock(device),
            num_threads=threads,
        )
        result, cut_short = _autorange(timer, budget_s * budget_scale(), threads, deadline)
        ended = time.perf_counter()
    finally:
        torch.set_grad_enabled(previous_grad)
        if lock is not None:
            lock.release()
    return _from_benchmark(result, threads, device, started, ended, cut_short)


def _autorange(
    timer: benchmark.Timer, budget_s: float, threads: int, deadline: float | None
) -> tuple[benchmark.Measurement, bool]:
    """Torch's adaptive_autorange, left between two blocks once `deadline` has passed; (result, cut short)."""
    blocks: list[float] = []
    per_block = [1]

    def stop_past_deadline(number: int, seconds: float) -> None:
        per_block[0] = number
        blocks.append(seconds)
        if deadline is not None and time.monotonic() >= deadline:
            raise _PastDeadline

    try:
        result = timer.adaptive_autorange(
            threshold=NOISY_IQR_SHARE, min_run_time=budget_s / 4, max_run_time=budget_s, callback=stop_past_deadline
        )
    except _PastDeadline:
        task = TaskSpec(stmt="fn()", setup="pass", num_threads=threads)
        return benchmark.Measurement(number_per_run=per_block[0], raw_times=blocks, task_spec=task), True
    return result, False


def _from_benchmark(
    result: benchmark.Measurement, threads: int, device: str, started: float, ended: float, cut_short: bool = False
) -> Measurement:
    times = tuple(result.times)
    # the IQR's ends, for error bars: Measurement keeps them private, so take the same quantiles of the same times
    q1, q3 = torch.tensor(sorted(times), dtype=torch.float64).quantile(torch.tensor([0.25, 0.75], dtype=torch.float64))
    return Measurement(
        median=result.median,
        iqr=result.iqr,
        runs=len(times) * result.number_per_run,
        block_times=times,
        threads=threads,
        device=device,
        started_at=started,
        ended_at=ended,
        q1=q1.item(),
        q3=q3.item(),
        noisy=result.median > 0 and not result.meets_confidence(NOISY_IQR_SHARE),
        cut_short=cut_short,
    )


def within_spread(a, b) -> bool:
    """True when two timings (anything with q1 and q3) cannot be told apart: their interquartile ranges overlap.

    Then the difference of the medians is smaller than the measurements' own spread, and no winner is declared.
    """
    return a.q1 <= b.q3 and b.q1 <= a.q3


def naive_time(fn: Callable[[], object], clock: Clock = time.perf_counter) -> float:
    """Deliberately naive: one call between two clock reads, no warm-up, no device sync.

    The pitfalls page uses it to show how such a figure lies for asynchronous GPU work.
    """
    start = clock()
    fn()
    return clock() - start
