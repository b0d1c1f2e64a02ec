"""The loops page's entry points, used by the page and the CLI alike: check the program, plan sizes, sweep (whole,
or one size per job as the page streams it), profile."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from core.agreement import Agreement
from core.jobs import JobLimitError
from core.limits import is_out_of_memory, worker_memory_mib
from core.loops import sweep
from core.loops.implementations import build_implementations, check_agreement
from core.loops.points import SweepPoint
from core.loops.profile import ProfileReport, ProfileRequest, profile_loop_and_vectorized
from core.loops.size import SizeResult, Timing, measure_size
from core.loops.sweep import SWEEP_BUDGET_S, MeasureFn, SweepResult, copies_per_size, input_maker, plan_sizes, run_sweep
from core.program import Program, parse_program
from core.settings import Settings
from core.tensors import InputSpec
from core.timing import Measurement, measure

# agreement is checked on (up to) this many elements of x
AGREEMENT_SAMPLE = 1000


@dataclass(frozen=True, kw_only=True)
class LoopsRequest:
    """Everything a sweep depends on, hashable: also the key its result is kept under."""

    program: str
    inputs: InputSpec
    sizes: tuple[int, ...]
    settings: Settings
    budget_s: float = SWEEP_BUDGET_S


@dataclass(frozen=True, kw_only=True)
class LoopsCheck:
    """What can be said before measuring: do the three implementations agree, and which sizes may run."""

    program: Program
    output: str
    agreement: tuple[Agreement, ...]
    runnable: tuple[int, ...]
    refused: tuple[Exception, ...]

    @property
    def agrees(self) -> bool:
        return all(a.agrees for a in self.agreement)


def check_loops(request: LoopsRequest) -> LoopsCheck:
    """Agreement on a sample of x, and the sizes split into runnable and refused (nothing large allocated).

    Raises:
        ProgramError: "not_elementwise" and "loops_output" for programs a loop cannot rebuild, or the eager
        run's own error; InputError, SizeLimitError: for x itself.
    """
    program = parse_program(request.program)
    settings = request.settings
    implementations = build_implementations(program)
    values = request.inputs.build(program.inputs, settings.dtype, settings.device, settings.seed)
    sample = {name: value.reshape(-1)[:AGREEMENT_SAMPLE] for name, value in values.items()}
    agreement = check_agreement(implementations, sample)
    runnable, refused = plan_sizes(request.sizes, settings.torch_dtype, settings.device, copies_per_size(program))
    return LoopsCheck(
        program=program, output=implementations.output, agreement=agreement, runnable=runnable, refused=refused
    )


def run_loops(
    request: LoopsRequest,
    checked: LoopsCheck | None = None,
    *,
    measure_fn: MeasureFn = measure,
    progress: Callable[[float, str], None] | None = None,
) -> SweepResult:
    """The sweep over the runnable sizes, on random inputs of each size from the seed (checked first if need be)."""
    checked = checked or check_loops(request)
    settings = request.settings
    return run_sweep(
        checked.program,
        checked.runnable,
        input_maker(checked.program, settings.dtype, settings.device, settings.seed),
        device=settings.device,
        threads=settings.threads,
        budget_s=request.budget_s,
        measure_fn=measure_fn,
        progress=progress,
    )


@dataclass(frozen=True, kw_only=True)
class SizeRequest:
    """One size of the page's sweep, a job of its own; hashable, the key its result is kept under.

    `history` is the loops' points at the smaller sizes (their predictions start from it) and `spent_s` the seconds
    those sizes held a worker: the sweep's cap counts them, so this size's deadline is what remains of it.
    """

    program: str
    settings: Settings
    budget_s: float
    n: int
    history: tuple[SweepPoint, ...] = ()
    spent_s: float = 0.0


def measure_sweep_size(request: SizeRequest, *, measure_fn: MeasureFn = measure) -> SizeResult:
    """One size of the sweep (core.loops.size), before the sweep's cap runs out: the page's per-size job."""
    program = parse_program(request.program)
    settings = request.settings
    timing = Timing(
        device=settings.device,
        threads=settings.threads,
        budget_s=request.budget_s,
        deadline=time.monotonic() + sweep.MAX_SWEEP_S - request.spent_s,
        measure_fn=measure_fn,
    )
    make_inputs = input_maker(program, settings.dtype, settings.device, settings.seed)
    return measure_size(build_implementations(program), request.n, make_inputs, request.history, timing)


def time_implementation(request: LoopsRequest, implementation: str, n: int) -> Measurement:
    """One implementation of the request's program at size n, measured within its budget (bench/honesty.py)."""
    program = parse_program(request.program)
    settings = request.settings
    function = build_implementations(program).functions[implementation]
    inputs = input_maker(program, settings.dtype, settings.device, settings.seed)(n)
    return measure(
        lambda: function(inputs), device=settings.device, threads=settings.threads, budget_s=request.budget_s
    )


def profile_loops(request: ProfileRequest) -> ProfileReport:
    """Where eager's time goes at the request's n: the lesson's loop and the vectorized call under torch.profiler.

    Raises:
        ProgramError: "not_elementwise" for programs a loop cannot rebuild; ValueError: n outside
        1 ... MAX_PROFILE_N; SizeLimitError: inputs of size n that would not fit (refused before allocating);
        JobLimitError: "profile_memory" when the profiler's records outgrow the worker's memory.
    """
    program = parse_program(request.program)
    settings = request.settings
    _, refused = plan_sizes((request.n,), settings.torch_dtype, settings.device, copies_per_size(program))
    if refused:
        raise refused[0]
    try:
        return profile_loop_and_vectorized(request)
    except (MemoryError, RuntimeError) as exc:
        if is_out_of_memory(exc):  # the profiler's own event records, not autograd, filled the worker's memory
            raise JobLimitError("profile_memory", limit_mib=worker_memory_mib()) from None
        raise
