"""Everything the step-by-step page shows, computed once per distinct input and kept for reruns.

Cached process-wide with st.cache_resource (no copies of the tensors, which are never mutated), so a rerun
with unchanged inputs, or a second learner opening the same link, costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import torch

from core.program import ProgramError, ProgramTrace, parse_program, run_program
from core.tensors import LIST_LIMIT, TensorSummary, summarize
from core.tracing import (
    Agreement,
    ControlFlowContrast,
    DefineByRunRun,
    TracedProgram,
    compare_with_eager,
    control_flow_contrast,
    define_by_run,
    trace_program,
)
from core.value_paths import ValuePaths, value_paths
from dashboard.program_state import build_inputs

# define-by-run records a graph per doubling: run it on at most this many elements of x.
DEFINE_BY_RUN_ELEMENTS = 1000


@dataclass(frozen=True)
class StepsView:
    inputs: dict[str, torch.Tensor]
    trace: ProgramTrace
    summaries: tuple[TensorSummary | None, ...]  # per executed step; None where the values are listed
    paths: ValuePaths
    traced: TracedProgram | None
    agreements: tuple[Agreement, ...]
    fx_error: ProgramError | None
    control_flow: ControlFlowContrast


@st.cache_resource(max_entries=2, ttl=900, show_spinner=False)
def steps_view(program_text: str, input_key: tuple, executed: int) -> StepsView:
    """Run the first `executed` statements eagerly, trace the whole program with fx, and summarise large tensors."""
    program = parse_program(program_text)
    inputs = build_inputs(input_key, program.inputs)
    trace = run_program(program, inputs, steps=executed)
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
    return StepsView(
        inputs,
        trace,
        summaries,
        value_paths(trace, "x", inputs["x"]),
        traced,
        agreements,
        fx_error,
        control_flow_contrast(inputs["x"]),
    )


@st.cache_resource(max_entries=4, ttl=900, show_spinner=False)
def define_by_run_view(input_key: tuple, threshold: float) -> tuple[str, tuple[DefineByRunRun, ...]]:
    """`double_until` on (part of) x and on 100·x, with grad tracking, and the graph each run recorded."""
    x = build_inputs(input_key, ("x",))["x"]
    small = x.detach().reshape(-1)[:DEFINE_BY_RUN_ELEMENTS].to("cpu", torch.float64)
    return define_by_run((small, small * 100), threshold)
