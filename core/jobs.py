"""A job: one core routine on a plain request, run in a worker, with what a measurement needs to judge itself.

The UI process sends `Job(routine, args, ...)` (a top-level core function, pickled by reference, and frozen
dataclasses or strings) and gets back a `JobResult` of plain values. Inside the worker, `execute` sets the
thread count and grad mode for this job only, turns running out of memory into `JobLimitError("memory")`,
and, for a measuring job, times the device's `clone()` reference before and after and notes the worker's CPU
share, so a drifted or starved measurement is shown as noisy and never kept.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

import torch

from core.limits import is_out_of_memory, worker_memory_mib
from core.timing import measure

DRIFT_LIMIT = 0.10  # the reference may move this much between before and after
MIN_CPU_SHARE = 0.80  # a CPU job that got less of its core than this was starved
REFERENCE_N = 100_000
REFERENCE_BUDGET_S = 0.02
BASE_TIME_LIMIT_S = 15.0  # any job: building inputs, running a program, tracing it
TIME_LIMIT_SLACK = 4.0  # a measurement takes up to its budget, plus warm-up calls and the reference


class JobLimitError(RuntimeError):
    """A job hit a limit of its worker: `kind` is time, memory or crash; `params` fill the learner's message."""

    def __init__(self, kind: str, **params: object) -> None:
        self.kind = kind
        self.code = kind
        self.params = params
        super().__init__(f"{kind}: {params}")

    def __reduce__(self):
        return (_job_limit_error, (self.kind, self.params))


def _job_limit_error(kind: str, params: dict) -> JobLimitError:
    return JobLimitError(kind, **params)


@dataclass(frozen=True, kw_only=True)
class Job:
    """What a worker runs: `routine(*args)` under `threads`; `device` is where a measuring job's reference runs."""

    routine: Callable[..., object]
    args: tuple = ()
    threads: int = 1
    device: str = "cpu"
    measures: bool = False


@dataclass(frozen=True, kw_only=True)
class Honesty:
    """What a measuring job saw of its own conditions; `reasons` is empty when the figures can be trusted."""

    reference_before_s: float
    reference_after_s: float
    cpu_share: float | None  # CPU seconds of the worker per wall second; None off the CPU
    reasons: tuple[str, ...] = ()

    @property
    def drift(self) -> float:
        low = min(self.reference_before_s, self.reference_after_s)
        return abs(self.reference_after_s - self.reference_before_s) / low if low > 0 else 0.0

    @property
    def noisy(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True, kw_only=True)
class JobResult:
    """The routine's plain result, when and where it ran, and (measuring jobs) its honesty record."""

    value: object
    worker_pid: int
    finished_at: float  # time.time()
    cores: tuple[int, ...] = ()
    honesty: Honesty | None = field(default=None)

    @property
    def noisy(self) -> bool:
        return self.honesty is not None and self.honesty.noisy


@cache
def cpu_model() -> str:
    """The CPU's model name as /proc/cpuinfo gives it (the platform's processor string elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def time_limit(measurements: int = 0, budget_s: float = 0.0) -> float:
    """Wall-clock seconds a job may take: a base for any job, plus slack for each measurement's budget."""
    return BASE_TIME_LIMIT_S + TIME_LIMIT_SLACK * measurements * budget_s


def environment_key() -> tuple[str, str]:
    """What a kept measurement depends on besides its request: the torch version and the CPU model."""
    return torch.__version__, cpu_model()


def execute(job: Job) -> JobResult:
    """Run `job` in this (worker) process; what it raises propagates, memory exhaustion as JobLimitError."""
    torch.set_num_threads(max(1, job.threads))  # process-wide, and this process is a worker running one job
    torch.set_grad_enabled(True)
    try:
        if not job.measures:
            value = job.routine(*job.args)
            honesty = None
        else:
            value, honesty = _measured(job)
    except (MemoryError, RuntimeError) as exc:
        if is_out_of_memory(exc):
            raise JobLimitError("memory", limit_mib=worker_memory_mib()) from None
        raise
    cores = tuple(sorted(os.sched_getaffinity(0)))
    return JobResult(value=value, worker_pid=os.getpid(), finished_at=time.time(), cores=cores, honesty=honesty)


@dataclass(frozen=True, kw_only=True)
class JobOutcome:
    """What a distributed job hands back: its result, or the exception it raised (pickled whole, so a
    ProgramError reaches the page with its code and params; RQ itself keeps only a traceback's text)."""

    result: JobResult | None = None
    error: BaseException | None = None


def execute_outcome(job: Job) -> JobOutcome:
    """`execute` for a queue worker: what the routine raises is returned, not raised."""
    try:
        return JobOutcome(result=execute(job))
    except Exception as exc:  # noqa: BLE001 - carried back whole and raised again in the UI process
        return JobOutcome(error=exc)


def _measured(job: Job) -> tuple[object, Honesty]:
    before = _reference(job.device)
    wall, cpu = time.perf_counter(), time.process_time()
    value = job.routine(*job.args)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = _reference(job.device)
    share = cpu / wall if wall > 0 and torch.device(job.device).type == "cpu" else None
    reasons = []
    honesty = Honesty(reference_before_s=before, reference_after_s=after, cpu_share=share)
    if honesty.drift > DRIFT_LIMIT:
        reasons.append("drift")
    if share is not None and share < MIN_CPU_SHARE:
        reasons.append("cpu_share")
    return value, replace(honesty, reasons=tuple(reasons))


def _reference(device: str) -> float:
    """Median seconds of one `clone()` of a fixed tensor on `device`: the yardstick for drift."""
    reference = torch.ones(REFERENCE_N, device=device)
    return measure(reference.clone, device=device, threads=1, budget_s=REFERENCE_BUDGET_S).median
