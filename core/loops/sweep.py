"""The loops-vs-vectorized sweep: every size measured with the timing engine, or honestly estimated.

For each size, ascending: the vectorized call and a clone() of x (the device's copy bandwidth, measured
in the same run) are always measured, within a quarter of the budget (they are fast, so that is still
thousands of runs). A loop is measured only while its predicted time for one call,
per-element cost x n, fits the time budget; the per-element cost is the least-squares slope through the
origin of the sizes already measured (t = c.n, so c = sum(t.n) / sum(n^2)). Past that, and for every
larger size, the loop's point is the prediction, flagged as estimated.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import torch

from core.limits import SizeLimitError, check_fits
from core.loops.implementations import IMPLEMENTATIONS, LOOPS, build_implementations
from core.loops.traffic import bytes_moved
from core.program import Program
from core.tensors import InputError, program_inputs, random_input
from core.timing import Measurement, measure, within_spread

MAX_SWEEP_N = {"cpu": 10**7, "mps": 10**7, "cuda": 10**8}
# Hard cap on one sweep: sizes not started by then are refused (each measurement has its own budget too).
MAX_SWEEP_S = 30.0
DEFAULT_SIZES = (10, 100, 1_000, 10_000, 100_000, 1_000_000)
# seconds of timing per implementation and size (each loop gets all of it, fast calls a quarter)
SWEEP_BUDGET_S = 0.5
# Tensors alive per size beyond one per statement: the inputs, the clone and the loops' rebuilt tensor.
EXTRA_COPIES = 6
# Vectorized calls and clone() take microseconds: thousands of runs fit in a quarter of the budget.
FAST_SHARE = 0.25

Progress = Callable[[float, str], None]
MeasureFn = Callable[..., Measurement]


@dataclass(frozen=True)
class SweepPoint:
    """One implementation at one size: seconds per call (median, IQR), or an estimate when `measured` is False."""

    implementation: str
    n: int
    measured: bool
    median: float
    iqr: float
    runs: int
    noisy: bool
    q1: float = 0.0
    q3: float = 0.0

    @property
    def per_element(self) -> float:
        return self.median / self.n


@dataclass(frozen=True)
class BandwidthPoint:
    """Bytes the vectorized call moves per call, its achieved rate, and clone()'s rate on the same tensors."""

    n: int
    bytes_per_call: int
    vectorized: float  # bytes per second
    copy: float

    @property
    def share_of_copy(self) -> float:
        return self.vectorized / self.copy if self.copy else 0.0


@dataclass(frozen=True)
class SweepResult:
    points: tuple[SweepPoint, ...]
    bandwidth: tuple[BandwidthPoint, ...]
    per_element_fit: Mapping[str, float | None]
    refused: tuple[tuple[int, Exception], ...]
    device: str
    threads: int
    budget_s: float
    wall_s: float

    def point(self, implementation: str, n: int) -> SweepPoint | None:
        return next((p for p in self.points if p.implementation == implementation and p.n == n), None)

    def tie(self, loop: str, n: int) -> bool:
        """The loop and the vectorized call, both measured at n, within each other's spread."""
        slow, fast = self.point(loop, n), self.point("vectorized", n)
        return bool(slow and fast and slow.measured and fast.measured and within_spread(slow, fast))

    def speedup(self, loop: str, n: int) -> float | None:
        """Loop time over vectorized time at size n."""
        slow, fast = self.point(loop, n), self.point("vectorized", n)
        return slow.median / fast.median if slow and fast and fast.median else None


def copies_per_size(program: Program) -> int:
    """Tensors of one size alive at once during a sweep, for the memory check before anything is allocated."""
    return program.max_executed + EXTRA_COPIES


def input_maker(program: Program, dtype: str, device: str, seed: int) -> Callable[[int], dict[str, torch.Tensor]]:
    """`make_inputs(n)` for run_sweep: x of n values from the seed, and the w and b the program reads."""
    max_n = MAX_SWEEP_N.get(torch.device(device).type, MAX_SWEEP_N["cpu"])
    copies = copies_per_size(program)

    def make_inputs(n: int) -> dict[str, torch.Tensor]:
        x = random_input(n, dtype, device, seed, copies, max_n=max_n)
        return program_inputs(program.inputs, x, seed)

    return make_inputs


def plan_sizes(
    sizes: Sequence[int], dtype: torch.dtype, device: str, copies: int, available: int | None = None
) -> tuple[tuple[int, ...], tuple[Exception, ...]]:
    """Split sizes into those the sweep may run and the refusals: over memory first, then over the device's range.

    Nothing is allocated: memory is checked with core.limits against `copies` tensors of each size.
    """
    max_n = MAX_SWEEP_N.get(torch.device(device).type, MAX_SWEEP_N["cpu"])
    runnable, refused = [], []
    for n in sorted(set(sizes)):
        try:
            check_fits(n, dtype, device, copies=copies, available=available)
        except SizeLimitError as exc:
            refused.append(exc)
            continue
        if n > max_n:
            refused.append(InputError("n_out_of_range", limit=max_n))
        else:
            runnable.append(n)
    return tuple(runnable), tuple(refused)


def fit_per_element(points: Sequence[SweepPoint]) -> float | None:
    """Least-squares slope through the origin of time against n, over measured points only."""
    measured = [p for p in points if p.measured]
    if not measured:
        return None
    return sum(p.median * p.n for p in measured) / sum(p.n * p.n for p in measured)


CALIBRATION_N = 100


def _calibrate(implementations, ordered, make_inputs, device, threads, budget_s, measure_fn) -> dict:
    """When the smallest size is large, time each loop once at CALIBRATION_N first, so its prediction exists
    before it is ever run on a size that would take minutes. Not shown: it only seeds the fit."""
    if not ordered or ordered[0] <= CALIBRATION_N:
        return {}
    inputs = make_inputs(CALIBRATION_N)
    points = {}
    for name in LOOPS:
        function = implementations.functions[name]
        result = measure_fn(lambda f=function: f(inputs), device=device, threads=threads, budget_s=budget_s)
        points[name] = [SweepPoint(name, CALIBRATION_N, True, result.median, result.iqr, result.runs, result.noisy)]
    return points


def _size_points(implementations, inputs, n, earlier, calibration, budget_s, measure_fn, timing, report):
    """Each implementation at size n: measured, or (a loop whose predicted time exceeds the budget) estimated.

    Once a loop is estimated at one size it stays estimated at every larger one.
    """
    points = []
    for name in IMPLEMENTATIONS:
        if report:
            report(f"{name} n={n:,}")
        fit = fit_per_element([p for p in earlier if p.implementation == name] + calibration.get(name, []))
        is_loop = name != "vectorized"
        already_estimated = any(p.implementation == name and not p.measured for p in earlier)
        if is_loop and (already_estimated or (fit is not None and fit * n > budget_s)):
            points.append(SweepPoint(name, n, False, fit * n, 0.0, 0, False, fit * n, fit * n))
            continue
        function = implementations.functions[name]
        share = budget_s if is_loop else budget_s * FAST_SHARE
        result = measure_fn(lambda f=function, i=inputs: f(i), budget_s=share, **timing)
        points.append(
            SweepPoint(name, n, True, result.median, result.iqr, result.runs, result.noisy, result.q1, result.q3)
        )
    return points


def _bandwidth(implementations, inputs, n, points, budget_s, measure_fn, timing) -> BandwidthPoint:
    """Bytes the vectorized call moves per call and its rate, against clone()'s rate on x (measured now)."""
    x = inputs["x"]
    copy = measure_fn(lambda x=x: x.clone(), budget_s=budget_s * FAST_SHARE, **timing)
    moved = bytes_moved(lambda i=inputs: implementations.functions["vectorized"](i))
    vectorized = next(p for p in points if p.implementation == "vectorized" and p.n == n)
    return BandwidthPoint(n, moved, moved / vectorized.median, 2 * x.nbytes / copy.median)


def run_sweep(
    program: Program,
    sizes: Sequence[int],
    make_inputs: Callable[[int], Mapping[str, torch.Tensor]],
    *,
    device: str,
    threads: int,
    budget_s: float,
    measure_fn: MeasureFn = measure,
    progress: Progress | None = None,
    max_total_s: float = MAX_SWEEP_S,
) -> SweepResult:
    """Measure (or estimate) the three implementations of `program` at every size.

    Args:
        make_inputs: builds the inputs of size n; may raise SizeLimitError, which refuses that size only.
        measure_fn: the timing engine (swap it for a fake in tests).
        progress: called with (fraction done, label) as the sweep goes.
        max_total_s: sizes not started after this many seconds are refused ("sweep_time_cap").
    Raises:
        ProgramError: "not_elementwise" for programs a loop cannot run element by element.
    """
    implementations = build_implementations(program)
    start = time.perf_counter()
    points: list[SweepPoint] = []
    bandwidth: list[BandwidthPoint] = []
    refused: list[tuple[int, Exception]] = []
    ordered = sorted(set(sizes))
    calibration = _calibrate(implementations, ordered, make_inputs, device, threads, budget_s, measure_fn)
    timing = {"device": device, "threads": threads}
    for index, n in enumerate(ordered):
        if time.perf_counter() - start > max_total_s:
            refused.append((n, InputError("sweep_time_cap", limit=max_total_s)))
            continue
        try:
            inputs = make_inputs(n)
        except SizeLimitError as exc:
            refused.append((n, exc))
            continue
        report = (lambda label, i=index: progress(i / len(ordered), label)) if progress else None
        points += _size_points(implementations, inputs, n, points, calibration, budget_s, measure_fn, timing, report)
        bandwidth.append(_bandwidth(implementations, inputs, n, points, budget_s, measure_fn, timing))
    if progress:
        progress(1.0, "")
    fits = {name: fit_per_element([p for p in points if p.implementation == name]) for name in IMPLEMENTATIONS}
    return SweepResult(
        tuple(points), tuple(bandwidth), fits, tuple(refused), device, threads, budget_s, time.perf_counter() - start
    )
