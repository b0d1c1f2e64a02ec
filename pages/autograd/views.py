"""Rendering pieces of the autograd page: flags table, graph, backward results and the error cases."""

from __future__ import annotations

import streamlit as st

from core.autograd.drawing import GraphDrawing
from core.autograd.errors import AUTOGRAD_ERRORS
from core.autograd.graph import TensorFlags
from core.autograd.run import BackwardResult
from core.cases import Demos
from core.program import Program
from dashboard import number_format as nf
from dashboard.case_views import case_list
from dashboard.chart_display import show_chart
from dashboard.i18n import t, texts, tp
from dashboard.widgets import show_table
from pages.autograd import state as autograd_state
from pages.autograd.charts import autograd_graph_figure, backward_animation_figure, gradient_figure

GRAPH_TEXT_KEYS = (
    "title",
    "variable",
    "line",
    "shape",
    "saved",
    "value",
    "grad",
    "kind.leaf_grad",
    "kind.leaf_no_grad",
    "kind.operation",
    "kind.output",
    "kind.summary",
)


def grad_toggles(program: Program) -> None:
    """One requires_grad toggle per input the program reads."""
    st.markdown(t("autograd.toggles"))
    autograd_state.sync_toggles(program)
    columns = st.columns(max(1, len(program.inputs)))
    for column, name in zip(columns, program.inputs, strict=False):
        column.toggle(
            f"{name}.requires_grad",
            key=autograd_state.grad_toggle_key(name),
            on_change=autograd_state.toggle_grad,
            args=(name,),
        )


def flags_table(flags: tuple[TensorFlags, ...]) -> None:
    show_table(
        [
            {
                t("autograd.flags.name"): f.name,
                "requires_grad": f.requires_grad,
                "is_leaf": f.is_leaf,
                "grad_fn": f.grad_fn or "None",
                "retains_grad": f.retains_grad,
                "_version": f.version,
                ".grad": f.grad if f.grad is not None else "None",
            }
            for f in flags
        ],
        key="autograd.flags",
        whole=True,
    )


def graph_chart(drawing: GraphDrawing, any_input_requires_grad: bool) -> None:
    """The recorded graph as the worker laid it out (summarised, and said so, when large), or why there is none."""
    if not drawing.recorded:
        key = "autograd.graph.independent" if any_input_requires_grad else "autograd.graph.empty"
        st.info(t(key), icon=":material/hide_source:")
        return
    if drawing.hidden:
        st.info(
            t("autograd.graph.summarised", total=nf.integer(drawing.total), hidden=nf.integer(drawing.hidden)),
            icon=":material/compress:",
        )
    figure = autograd_graph_figure(drawing, _graph_texts(drawing))
    show_chart(figure, "autograd.graph")
    st.caption(t("autograd.graph.caption"))


def _graph_texts(drawing: GraphDrawing) -> dict[str, str]:
    """The graph's catalog strings, with the summary node's words (how many nodes it gathers) filled in."""
    graph_texts = texts("autograd.graph", *GRAPH_TEXT_KEYS)
    graph_texts["summary"] = tp("autograd.graph.summary", count=nf.integer(drawing.hidden))
    return graph_texts


def backward_results(result: BackwardResult) -> None:
    """Each leaf's gradient next to its values, the analytic check where known, and backward step by step."""
    chart_texts = texts("autograd.grad_chart", "title", "index")
    # the analytic derivative as the reduction makes it: mean divides by n
    chart_texts["analytic"] = tp(
        "autograd.grad_chart.analytic_mean" if result.reduction == "mean" else "autograd.grad_chart.analytic"
    )
    for gradient in result.gradients:
        show_chart(gradient_figure(gradient, chart_texts), f"autograd.grad.{gradient.name}")
        st.caption(t("autograd.grad.printed", name=gradient.name))
        st.code(gradient.printed, language="text", wrap_lines=True)
        if gradient.agrees is True:
            st.success(t("autograd.analytic.agrees"))
        elif gradient.agrees is False:
            st.warning(t("autograd.analytic.differs"))
    st.subheader(t("autograd.steps.header"))
    if not result.visits:
        st.info(t("autograd.steps.none", name=result.output))
        return
    st.markdown(t("autograd.steps.intro"))
    frame_texts = texts("autograd.steps", "frame", "frame_summary", "play", "step")
    frame_texts["summary"] = _graph_texts(result.drawing)["summary"]
    if result.drawing.hidden:
        st.caption(t("autograd.steps.summarised"))
    figure = backward_animation_figure(result.drawing, result.steps, frame_texts, nf.integer)
    show_chart(figure, "autograd.backward_steps")
    show_table(
        [
            {"#": v.order + 1, t("autograd.steps.node"): v.label, t("autograd.steps.incoming"): " , ".join(v.incoming)}
            for v in result.visits
        ],
        key="autograd.visits",
    )


def backward_failure(exc: RuntimeError, fix: str | None, inputs: tuple[str, ...], outputs: tuple[str, ...]) -> None:
    """PyTorch's refusal, verbatim, and the one-click fix that applies (see core.autograd.backward.diagnose)."""
    st.error(t("autograd.backward.failed"), icon=":material/error:")
    st.code(f"{type(exc).__name__}: {exc}", language="text", wrap_lines=True)
    if fix == "enable_grad" and inputs:
        st.button(
            t("autograd.fix.enable_grad", name=inputs[0]),
            key="autograd.fix_grad",
            on_click=autograd_state.enable_grad,
            args=(inputs[0],),
        )
    elif fix == "choose_output" and outputs:
        st.button(
            t("autograd.fix.choose_output", name=outputs[-1]),
            key="autograd.fix_output",
            on_click=autograd_state.set_value,
            args=("output", outputs[-1]),
        )
    elif fix == "choose_output":
        st.info(t("autograd.fix.no_output"))
    elif fix == "reduce_sum":
        st.button(
            t("autograd.fix.reduce_sum"),
            key="autograd.fix_reduce",
            on_click=autograd_state.set_value,
            args=("reduce", "sum"),
        )


def error_cases(demos: Demos) -> None:
    """Each autograd error run live with PyTorch's message, and its fix one click away."""
    if demos.substituted:
        st.caption(t("autograd.errors.vector_input"))
    case_list(AUTOGRAD_ERRORS, "autograd.case", "fixed", demos.outcomes)
