"""The loops-vs-vectorized sweep: every size measured with the timing engine, or honestly estimated (core.loops.size).

Sizes run ascending, each predicting its loops from the smaller ones. The sweep has one deadline, MAX_SWEEP_S
after it starts, checked inside every measurement: sizes it did not finish are refused ("sweep_time_cap"). The
page runs the same sizes one job each (core.loops.run.measure_sweep_size), so it can show each as it arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import torch

from core.limits import SizeLimitError, check_fits
from core.loops.implementations import IMPLEMENTATIONS, build_implementations
from core.loops.points import BandwidthPoint, SweepPoint, SweepResult, fit_per_element
from core.loops.size import CALIBRATION_N, FAST_SHARE, MeasureFn, SizeResult, Timing, measure_size
from core.program import Program
from core.tensors import InputError, program_inputs, random_input
from core.timing import measure

MAX_SWEEP_N = {"cpu": 10**7, "mps": 10**7, "cuda": 10**8}
# One sweep's deadline: checked inside every measurement; sizes not finished by then are refused.
MAX_SWEEP_S = 30.0
DEFAULT_SIZES = (10, 100, 1_000, 10_000, 100_000, 1_000_000)
# seconds of timing per implementation and size (each loop gets all of it, fast calls a quarter)
SWEEP_BUDGET_S = 0.5
# Tensors alive per size beyond one per statement: the inputs, the clone and the loops' rebuilt tensor.
EXTRA_COPIES = 6
Progress = Callable[[float, str], None]


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
    """Measure (or estimate) the three implementations of `program` at every size, within `max_total_s`.

    Args:
        make_inputs: builds the inputs of size n; may raise SizeLimitError, which refuses that size only.
        measure_fn: the timing engine (swap it for a fake in tests).
        progress: called with (fraction done, label) as the sweep goes.
        max_total_s: the sweep's deadline, from its start: sizes not finished by then are refused
            ("sweep_time_cap").
    Raises:
        ProgramError: "not_elementwise" for programs a loop cannot run element by element.
    """
    implementations = build_implementations(program)
    timing = Timing(
        device=device,
        threads=threads,
        budget_s=budget_s,
        deadline=time.monotonic() + max_total_s,
        measure_fn=measure_fn,
    )
    ordered = sorted(set(sizes))
    done: list[SizeResult] = []
    history: tuple[SweepPoint, ...] = ()
    for index, n in enumerate(ordered):
        report = (lambda label, i=index: progress(i / len(ordered), label)) if progress else None
        size = measure_size(implementations, n, make_inputs, history, timing, report)
        done.append(size)
        history += size.history
    if progress:
        progress(1.0, "")
    return assemble(done, device=device, threads=threads, budget_s=budget_s, cap_s=max_total_s)


def assemble(
    sizes: Sequence[SizeResult], *, device: str, threads: int, budget_s: float, cap_s: float = MAX_SWEEP_S
) -> SweepResult:
    """One SweepResult from the sizes measured one by one; its wall time is the seconds they held a worker."""
    points = tuple(p for size in sizes for p in size.points)
    fits = {name: fit_per_element([p for p in points if p.implementation == name]) for name in IMPLEMENTATIONS}
    refused = tuple((s.n, s.refused) for s in sizes if s.refused is not None) + tuple(
        (s.n, InputError("sweep_time_cap", limit=cap_s)) for s in sizes if s.timed_out
    )
    bandwidth = tuple(s.bandwidth for s in sizes if s.bandwidth is not None)
    wall = sum(s.wall_s for s in sizes)
    return SweepResult(
        points=points,
        bandwidth=bandwidth,
        per_element_fit=fits,
        refused=refused,
        device=device,
        threads=threads,
        budget_s=budget_s,
        wall_s=wall,
    )


__all__ = [
    "CALIBRATION_N",
    "FAST_SHARE",
    "BandwidthPoint",
    "SizeResult",
    "SweepPoint",
    "SweepResult",
    "assemble",
    "fit_per_element",
    "run_sweep",
]
