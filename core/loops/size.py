"""One size of the sweep, the unit a worker job measures: each implementation at n, measured or estimated.

The vectorized call and a clone() of x (the device's copy bandwidth, measured in the same run) are always measured,
within a quarter of the budget (they are fast, so that is still thousands of runs). A loop is measured only while
its predicted time for one call, per-element cost x n, fits the budget; the cost is the least-squares slope
through the origin of the loop's points so far (`history`). A loop with no point yet at a size above
CALIBRATION_N is first timed at CALIBRATION_N, so its prediction exists before it could run for minutes.

A sweep's deadline (time.monotonic()) is checked before every measurement and inside each one (core.timing):
a size that reaches it is left unfinished and reported `timed_out`, its partial figures dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import torch

from core.limits import SizeLimitError
from core.loops.implementations import IMPLEMENTATIONS, LOOPS, Implementations
from core.loops.points import BandwidthPoint, SweepPoint, fit_per_element
from core.loops.traffic import bytes_moved
from core.timing import Measurement, measure

CALIBRATION_N = 100
# Vectorized calls and clone() take microseconds: thousands of runs fit in a quarter of the budget.
FAST_SHARE = 0.25

MeasureFn = Callable[..., Measurement]
Report = Callable[[str], None]


class _PastDeadline(Exception):
    """The sweep's deadline passed before this size was complete."""


@dataclass(frozen=True, kw_only=True)
class SizeResult:
    """One size: its points and bandwidth, or why it has none (refused for memory, or the deadline reached)."""

    n: int
    points: tuple[SweepPoint, ...] = ()
    bandwidth: BandwidthPoint | None = None
    calibration: tuple[SweepPoint, ...] = ()  # loops timed at CALIBRATION_N to seed their fit; not shown
    refused: Exception | None = None
    timed_out: bool = False
    wall_s: float = 0.0  # seconds this size held its worker

    @property
    def history(self) -> tuple[SweepPoint, ...]:
        """The loop points later sizes predict from: the calibration and this size's loops."""
        return self.calibration + tuple(p for p in self.points if p.implementation in LOOPS)


@dataclass(frozen=True, kw_only=True)
class Timing:
    """How a size is measured: where, the budget per implementation, the engine, and the sweep's deadline."""

    device: str
    threads: int
    budget_s: float
    deadline: float
    measure_fn: MeasureFn = measure

    def __call__(self, fn: Callable[[], object], budget_s: float) -> Measurement:
        """`fn` measured within `budget_s`, unless the deadline has passed or passes during it (_PastDeadline)."""
        self.check()
        result = self.measure_fn(
            fn, device=self.device, threads=self.threads, budget_s=budget_s, deadline=self.deadline
        )
        if result.cut_short:
            raise _PastDeadline
        return result

    def check(self) -> None:
        if time.monotonic() >= self.deadline:
            raise _PastDeadline


def measure_size(
    implementations: Implementations,
    n: int,
    make_inputs: Callable[[int], Mapping[str, torch.Tensor]],
    history: Sequence[SweepPoint],
    timing: Timing,
    report: Report | None = None,
) -> SizeResult:
    """Each implementation of `implementations` at size n, and the bandwidth, before `timing.deadline`.

    Args:
        make_inputs: builds the inputs of size n; may raise SizeLimitError, which refuses this size only.
        history: the loops' points at smaller sizes (and their calibration), for the predictions.
    """
    started = time.monotonic()

    def wall() -> float:
        return time.monotonic() - started

    try:
        timing.check()
        inputs = make_inputs(n)
        calibration = _calibrate(implementations, n, make_inputs, history, timing)
        points = _size_points(implementations, inputs, n, [*history, *calibration], timing, report)
        bandwidth = _bandwidth(implementations, inputs, n, points, timing)
    except SizeLimitError as exc:
        return SizeResult(n=n, refused=exc, wall_s=wall())
    except _PastDeadline:
        return SizeResult(n=n, timed_out=True, wall_s=wall())
    return SizeResult(n=n, points=points, bandwidth=bandwidth, calibration=calibration, wall_s=wall())


def _calibrate(implementations, n, make_inputs, history, timing) -> tuple[SweepPoint, ...]:
    """Each loop with no point yet, timed once at CALIBRATION_N when n is larger: it only seeds the fit."""
    pending = [name for name in LOOPS if n > CALIBRATION_N and not any(p.implementation == name for p in history)]
    if not pending:
        return ()
    inputs = make_inputs(CALIBRATION_N)
    points = []
    for name in pending:
        function = implementations.functions[name]
        result = timing(lambda f=function: f(inputs), timing.budget_s)
        points.append(
            SweepPoint(
                implementation=name,
                n=CALIBRATION_N,
                measured=True,
                median=result.median,
                iqr=result.iqr,
                runs=result.runs,
                noisy=result.noisy,
            )
        )
    return tuple(points)


def _size_points(implementations, inputs, n, history, timing, report) -> tuple[SweepPoint, ...]:
    """Each implementation at n: measured, or (a loop whose predicted time exceeds the budget) estimated.

    Once a loop is estimated at one size it stays estimated at every larger one.
    """
    points = []
    for name in IMPLEMENTATIONS:
        if report:
            report(f"{name} n={n:,}")
        fit = fit_per_element([p for p in history if p.implementation == name])
        is_loop = name != "vectorized"
        already_estimated = any(p.implementation == name and not p.measured for p in history)
        if is_loop and (already_estimated or (fit is not None and fit * n > timing.budget_s)):
            estimate = fit * n
            points.append(
                SweepPoint(
                    implementation=name,
                    n=n,
                    measured=False,
                    median=estimate,
                    iqr=0.0,
                    runs=0,
                    noisy=False,
                    q1=estimate,
                    q3=estimate,
                )
            )
            continue
        function = implementations.functions[name]
        share = timing.budget_s if is_loop else timing.budget_s * FAST_SHARE
        result = timing(lambda f=function, i=inputs: f(i), share)
        points.append(
            SweepPoint(
                implementation=name,
                n=n,
                measured=True,
                median=result.median,
                iqr=result.iqr,
                runs=result.runs,
                noisy=result.noisy,
                q1=result.q1,
                q3=result.q3,
            )
        )
    return tuple(points)


def _bandwidth(implementations, inputs, n, points, timing) -> BandwidthPoint:
    """Bytes the vectorized call moves per call and its rate, against clone()'s rate on x (measured now)."""
    x = inputs["x"]
    copy = timing(lambda x=x: x.clone(), timing.budget_s * FAST_SHARE)
    timing.check()
    moved = bytes_moved(lambda i=inputs: implementations.functions["vectorized"](i))
    vectorized = next(p for p in points if p.implementation == "vectorized" and p.n == n)
    return BandwidthPoint(
        n=n, bytes_per_call=moved, vectorized=moved / vectorized.median, copy=2 * x.nbytes / copy.median
    )
