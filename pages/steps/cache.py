"""The step-by-step page's results, computed in a worker by core.steps.run and kept for reruns.

Kept process-wide by content (see dashboard.measurement_store), so a rerun with unchanged inputs, or a
second learner opening the same link, costs nothing.
"""

from __future__ import annotations

from core.settings import Settings
from core.steps import run as steps_run
from core.steps.tracing import DefineByRunRun
from core.tensors import InputSpec
from dashboard import jobs
from dashboard.measurement_store import kept_job


def steps_view(program_text: str, spec: InputSpec, settings: Settings, executed: int) -> steps_run.StepsResult:
    """`core.steps.run.run_steps` as a job; its InputError and SizeLimitError propagate."""
    key = ("steps", program_text, spec, settings, executed)
    run = lambda: jobs.run(steps_run.run_steps, program_text, spec, settings, executed, settings=settings)  # noqa: E731
    return kept_job("steps", key, run).value


def define_by_run_view(
    program_text: str, spec: InputSpec, settings: Settings, scale: float
) -> tuple[DefineByRunRun, ...]:
    """`core.steps.run.run_define_by_run` as a job."""
    run = lambda: jobs.run(  # noqa: E731
        steps_run.run_define_by_run, program_text, spec, settings, scale, settings=settings
    )
    return kept_job("steps.dbr", (program_text, spec, settings, scale), run).value
