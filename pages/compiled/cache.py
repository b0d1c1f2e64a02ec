"""The Eager vs compiled page's results, computed in a worker by core.compiled.run and kept by content."""

from __future__ import annotations

from core.compiled import run as compiled_run
from core.compiled.guards import Recompiles
from dashboard import jobs
from dashboard.measurement_store import kept_job


def capture(request: compiled_run.CompiledRequest) -> compiled_run.CaptureResult:
    """`core.compiled.run.capture_view` as a job; ProgramError, InputError and SizeLimitError propagate."""
    run = lambda: jobs.run(  # noqa: E731
        compiled_run.capture_view, request, settings=request.settings, job_class="compile"
    )
    return kept_job("compiled.capture", request, run).value


def recompiles(request: compiled_run.CompiledRequest) -> tuple[Recompiles, ...]:
    """`core.compiled.run.recompile_view` as a job."""
    run = lambda: jobs.run(  # noqa: E731
        compiled_run.recompile_view, request, settings=request.settings, job_class="compile"
    )
    return kept_job("compiled.recompile", request, run).value
