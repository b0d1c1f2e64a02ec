"""Rendering pieces of the step-by-step page: code view, tensor cards, value chart and the fx contrast."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.program import Program, StepResult
from core.settings import Settings
from core.steps.view import StepsView
from core.tensors import InputSpec, TensorSummary
from dashboard import number_format as nf
from dashboard import url_state
from dashboard.chart_display import show_chart
from dashboard.i18n import current_lang, t, tp
from dashboard.messages import error_message
from dashboard.widgets import show_table
from pages.steps.charts import histogram_figure, value_paths_figure
from pages.steps.model import define_by_run_view

DONE_MARK, NEXT_MARK, TODO_MARK = "✔", "▶", " "


def code_view(program: Program, executed: int) -> str:
    """The program with a gutter: done, next, or pending, and the line number."""
    rows = []
    for index, statement in enumerate(program.statements):
        mark = DONE_MARK if index < executed else NEXT_MARK if index == executed else TODO_MARK
        rows.append(f"{mark} {statement.line:>2} │ {statement.source}")
    return "\n".join(rows)


def just_computed(where, steps: Sequence[StepResult]) -> None:
    """In `where` (under the transport): what the last executed statement computed, or that nothing ran yet."""
    if not steps:
        where.info(t("steps.nothing_ran"), icon=":material/skip_next:")
        return
    step = steps[-1]
    where.markdown(t("steps.just_ran", line=step.line, target=step.target))
    where.code(step.printed, language="text", wrap_lines=True)


def input_cards(inputs: dict[str, str]) -> None:
    """Each input as print shows it: x, and w or b when the program reads them."""
    for name, printed in inputs.items():
        st.markdown(t(f"steps.input_card.{name}"))
        st.code(printed, language="text", wrap_lines=True)


def tensor_card(step: StepResult, summary: TensorSummary | None) -> None:
    """Values and attributes of one executed statement's tensor; a summary and histogram when it is large."""
    with st.container(border=True):
        st.markdown(t("steps.card.title", line=step.line, target=step.target))
        st.code(step.source, language="python", wrap_lines=True)
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
        if step.nan or step.inf:
            st.warning(t("steps.card.nonfinite", nan=step.nan, inf=step.inf), icon=":material/warning:")
        if summary is None:
            st.code(step.printed, language="text", wrap_lines=True)
            return
        columns = st.columns(4)
        columns[0].metric(t("steps.summary.min"), nf.significant(summary.minimum, 4))
        columns[1].metric(t("steps.summary.max"), nf.significant(summary.maximum, 4))
        columns[2].metric(t("steps.summary.mean"), nf.significant(summary.mean, 4))
        columns[3].metric(t("steps.summary.numel"), nf.integer(summary.numel))
        # "; " between values: with a decimal comma, ", " would split 1,5 in two
        st.caption(t("steps.summary.first", values="; ".join(nf.significant(v, 4) for v in summary.first)))
        figure = histogram_figure(summary, tp("steps.summary.histogram", name=step.target), tp("steps.summary.count"))
        show_chart(figure, f"steps.hist.{step.index}")


def value_chart(view: StepsView) -> None:
    paths = view.paths
    if len(paths.names) < 2:
        return
    show_chart(value_paths_figure(paths, tp("steps.chart.title"), "x"), "steps.value_chart")
    if len(paths.indices) < paths.numel:
        st.caption(t("steps.chart.sampled", shown=nf.integer(len(paths.indices)), total=nf.integer(paths.numel)))
    if paths.skipped:
        st.caption(t("steps.chart.skipped", names=", ".join(paths.skipped)))


def printed_output(step: StepResult) -> None:
    """What print(<last variable>) writes, exactly as PyTorch prints it."""
    st.caption(t("steps.print", name=step.target))
    st.code(step.printed, language="text", wrap_lines=True)


def fx_contrast(view: StepsView) -> None:
    """The program traced by torch.fx: nodes, generated code, and agreement with eager on the same inputs."""
    st.markdown(t("steps.fx.intro"))
    if view.fx_error is not None:
        show_program_error(view.fx_error)
        return
    traced = view.traced
    show_table(
        [
            {
                tp("steps.fx.col.name"): n.name,
                tp("steps.fx.col.op"): n.op,
                tp("steps.fx.col.target"): n.target,
                tp("steps.fx.col.args"): n.args,
                tp("steps.fx.line"): n.line,
            }
            for n in traced.nodes
        ],
        key="steps.fx.nodes",
    )
    st.caption(t("steps.fx.code"))
    st.code(traced.code, language="python", wrap_lines=True)
    if not view.agreements:
        st.info(t("steps.fx.run_all_first"))
        return
    show_table(
        [
            {
                tp("steps.fx.variable"): a.name,
                tp("steps.fx.agrees"): "✓" if a.agrees else "✗",
                tp("steps.fx.max_diff"): a.max_abs_diff,
            }
            for a in view.agreements
        ],
        key="steps.fx.agreement",
    )


def control_flow(view: StepsView) -> None:
    """Eager runs a data-dependent branch; symbolic tracing refuses it with PyTorch's own message."""
    st.markdown(t("steps.control.intro"))
    contrast = view.control_flow
    st.code(contrast.source, language="python", wrap_lines=True)
    left, right = st.columns(2)
    left.caption(t("steps.control.eager"))
    left.code(contrast.eager_printed, language="text", wrap_lines=True)
    right.caption(t("steps.control.traced"))
    right.code(f"{contrast.trace_error_type}: {contrast.trace_error}", language="text", wrap_lines=True)


def define_by_run_section(spec: InputSpec, settings: Settings) -> None:
    """How many operations ran, and how big a graph autograd recorded, for two inputs."""
    st.markdown(t("steps.dbr.intro"))
    st.slider(
        t("steps.dbr.threshold"), 1.0, 1000.0, key=url_state.widget_key("threshold"), **url_state.bind("threshold")
    )
    source, runs = define_by_run_view(spec, settings, float(url_state.get("threshold")))
    st.code(source, language="python", wrap_lines=True)
    show_table(
        [
            {
                tp("steps.dbr.input"): run.input_printed,
                tp("steps.dbr.doublings"): run.doublings,
                tp("steps.dbr.nodes"): run.graph_nodes,
            }
            for run in runs
        ],
        key="steps.dbr.table",
    )


def show_program_error(error) -> None:
    st.error(error_message(current_lang(), error), icon=":material/error:")
