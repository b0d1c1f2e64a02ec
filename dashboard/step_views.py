"""Rendering pieces of the step-by-step page: code view, tensor cards, value chart and the fx contrast."""

from __future__ import annotations

import streamlit as st
import torch

from core.program import Program, ProgramTrace, StepResult
from core.tensors import LIST_LIMIT, summarize
from core.tracing import compare_with_eager, control_flow_contrast, define_by_run, trace_program
from core.value_paths import value_paths
from dashboard.charts import histogram_figure, value_paths_figure
from dashboard.messages import error_message
from dashboard.sidebar import current_settings, t

DONE_MARK, NEXT_MARK, TODO_MARK = "✔", "▶", " "


def code_view(program: Program, executed: int) -> str:
    """The program with a gutter: done, next, or pending, and the line number."""
    rows = []
    for index, statement in enumerate(program.statements):
        mark = DONE_MARK if index < executed else NEXT_MARK if index == executed else TODO_MARK
        rows.append(f"{mark} {statement.line:>2} │ {statement.source}")
    return "\n".join(rows)


def tensor_card(step: StepResult) -> None:
    """Values and attributes of one executed statement's tensor; a summary and histogram when it is large."""
    with st.container(border=True):
        st.markdown(t("steps.card.title", line=step.line, target=step.target))
        st.code(step.source, language="python")
        st.caption(
            t(
                "steps.card.attributes",
                shape=tuple(step.shape),
                dtype=step.dtype,
                device=step.device,
                requires_grad=step.requires_grad,
                is_leaf=step.is_leaf,
                grad_fn=step.grad_fn,
            )
        )
        if step.tensor.numel() <= LIST_LIMIT:
            st.code(step.printed, language="text")
            return
        summary = summarize(step.tensor)
        columns = st.columns(4)
        columns[0].metric(t("steps.summary.min"), f"{summary.minimum:.4g}")
        columns[1].metric(t("steps.summary.max"), f"{summary.maximum:.4g}")
        columns[2].metric(t("steps.summary.mean"), f"{summary.mean:.4g}")
        columns[3].metric(t("steps.summary.numel"), f"{summary.numel:,}")
        st.caption(t("steps.summary.first", values=", ".join(f"{v:.4g}" for v in summary.first)))
        figure = histogram_figure(summary, t("steps.summary.histogram", name=step.target), t("steps.summary.count"))
        st.plotly_chart(figure, key=f"steps.hist.{step.index}")


def value_chart(trace: ProgramTrace, x: torch.Tensor) -> None:
    paths = value_paths(trace, "x", x)
    if len(paths.names) < 2:
        return
    title = t("steps.chart.title")
    st.plotly_chart(value_paths_figure(paths, title, "x"), key="steps.value_chart")
    if len(paths.indices) < paths.numel:
        st.caption(t("steps.chart.sampled", shown=len(paths.indices), total=f"{paths.numel:,}"))
    if paths.skipped:
        st.caption(t("steps.chart.skipped", names=", ".join(paths.skipped)))


def input_cards(inputs: dict[str, torch.Tensor]) -> None:
    """Each input as print shows it: x, and w or b when the program reads them."""
    for name, tensor in inputs.items():
        st.markdown(t(f"steps.input_card.{name}"))
        st.code(str(tensor), language="text")


def printed_output(step: StepResult) -> None:
    """What print(<last variable>) writes, exactly as PyTorch prints it."""
    st.caption(t("steps.print", name=step.target))
    st.code(step.printed, language="text")


def fx_contrast(program: Program, trace: ProgramTrace, inputs: dict[str, torch.Tensor]) -> None:
    """The program traced by torch.fx: nodes, generated code, and agreement with eager on the same x."""
    st.markdown(t("steps.fx.intro"))
    traced = trace_program(program)
    st.dataframe(
        [
            {"name": n.name, "op": n.op, "target": n.target, "args": n.args, t("steps.fx.line"): n.line}
            for n in traced.nodes
        ],
        hide_index=True,
        key="steps.fx.nodes",
    )
    st.caption(t("steps.fx.code"))
    st.code(traced.code, language="python")
    if not trace.finished or trace.error is not None:
        st.info(t("steps.fx.run_all_first"))
        return
    agreements = compare_with_eager(traced.run({n: inputs[n] for n in program.inputs}), trace.env)
    st.dataframe(
        [
            {
                t("steps.fx.variable"): a.name,
                t("steps.fx.agrees"): "✓" if a.agrees else "✗",
                t("steps.fx.max_diff"): a.max_abs_diff,
            }
            for a in agreements
        ],
        hide_index=True,
        key="steps.fx.agreement",
    )


def control_flow(x: torch.Tensor) -> None:
    """Eager runs a data-dependent branch; symbolic tracing refuses it with PyTorch's own message."""
    st.markdown(t("steps.control.intro"))
    contrast = control_flow_contrast(x)
    st.code(contrast.source, language="python")
    left, right = st.columns(2)
    left.caption(t("steps.control.eager"))
    left.code(contrast.eager_printed, language="text")
    right.caption(t("steps.control.traced"))
    right.code(f"{contrast.trace_error_type}: {contrast.trace_error}", language="text")


def define_by_run_view(x: torch.Tensor) -> None:
    """How many operations ran, and how big a graph autograd recorded, for two inputs."""
    st.markdown(t("steps.dbr.intro"))
    threshold = st.slider(t("steps.dbr.threshold"), 1.0, 1000.0, 100.0, key="steps.dbr.threshold")
    small = x.detach().to(torch.float64).cpu()
    source, runs = define_by_run((small, small * 100), threshold)
    st.code(source, language="python")
    st.dataframe(
        [
            {
                t("steps.dbr.input"): run.input_printed,
                t("steps.dbr.doublings"): run.doublings,
                t("steps.dbr.nodes"): run.graph_nodes,
            }
            for run in runs
        ],
        hide_index=True,
        key="steps.dbr.table",
    )


def trace_error(trace: ProgramTrace) -> None:
    if trace.error is not None:
        st.error(error_message(current_settings().lang, trace.error), icon=":material/error:")
