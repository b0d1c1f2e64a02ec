"""The step-by-step page's one entry point: everything it shows, for the page (which keeps it) and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.program import ProgramError, ProgramTrace, parse_program, run_program
from core.settings import Settings
from core.steps.tracing import (
    Agreement,
    ControlFlowContrast,
    DefineByRunRun,
    TracedProgram,
    compare_with_eager,
    control_flow_contrast,
    define_by_run,
    trace_program,
)
from core.steps.value_paths import ValuePaths, value_paths
from core.tensors import LIST_LIMIT, InputSpec, TensorSummary, summarize

# define-by-run records a graph per doubling: run it on at most this many elements of x.
DEFINE_BY_RUN_ELEMENTS = 1000


@dataclass(frozen=True, kw_only=True)
class StepsResult:
    """What the page shows, plain (the tensors themselves dropped, printed and summarised), to leave a worker."""

    inputs: dict[str, str]  # print() of each input
    trace: ProgramTrace  # the run as far as the page has stepped
    total: int  # assignments the whole run executes (loop turns included; up to the error, if one stops it)
    next_line: int | None  # the line the next step runs, None once all ran
    summaries: tuple[TensorSummary | None, ...]  # per executed step; None where the values are listed
    paths: ValuePaths
    traced: TracedProgram | None
    agreements: tuple[Agreement, ...]
    fx_error: ProgramError | None
    control_flow: ControlFlowContrast


def run_steps(program_text: str, spec: InputSpec, settings: Settings, executed: int) -> StepsResult:
    """Run the first `executed` statements eagerly, trace the whole program with fx, and summarise large tensors.

    Raises:
        InputError, SizeLimitError: for x itself (a statement's own failure is part of the trace).
    """
    program = parse_program(program_text)
    inputs = spec.build(program.inputs, settings.dtype, settings.device, settings.seed)
    whole = run_program(program, inputs)
    trace = whole.prefix(executed)
    next_line = whole.steps[executed].line if executed < len(whole.steps) else None
    summaries = tuple(summarize(s.tensor) if s.tensor.numel() > LIST_LIMIT else None for s in trace.steps)
    traced, agreements, fx_error = None, (), None
    try:
        traced = trace_program(program)
        if trace.finished and trace.error is None:
            agreements = compare_with_eager(traced.run({n: inputs[n] for n in program.inputs}), trace.env)
    except ProgramError as exc:
        fx_error = exc
    except RuntimeError as exc:  # the traced module refused what eager accepted: PyTorch's words, shown as such
        fx_error = ProgramError("runtime", detail=str(exc))
    return StepsResult(
        inputs={name: str(tensor) for name, tensor in inputs.items()},
        trace=_without_tensors(trace),
        total=len(whole.steps),
        next_line=next_line,
        summaries=summaries,
        paths=value_paths(trace, "x", inputs["x"]),
        traced=None if traced is None else replace(traced, module=None),
        agreements=agreements,
        fx_error=fx_error,
        control_flow=control_flow_contrast(inputs["x"]),
    )


def _without_tensors(trace: ProgramTrace) -> ProgramTrace:
    """The trace with each step's tensor and the environment dropped: what was printed and read stays."""
    return replace(trace, steps=tuple(replace(step, tensor=None) for step in trace.steps), env={})


def run_define_by_run(
    program_text: str, spec: InputSpec, settings: Settings, scale: float
) -> tuple[DefineByRunRun, ...]:
    """The learner's program on (part of) x and on scale·x, with grad tracking, and the graph each run recorded."""
    program = parse_program(program_text)
    inputs = spec.build(program.inputs, settings.dtype, settings.device, settings.seed)
    # in the sidebar's dtype and device, as shown; w and b cut to the same elements
    first = {name: t.detach().reshape(-1)[:DEFINE_BY_RUN_ELEMENTS] for name, t in inputs.items()}
    scaled = {**first, "x": first["x"] * scale}
    return define_by_run(program, (first, scaled))
