"""Rendering pieces of the autograd page: flags table, graph, backward results and the error cases."""

from __future__ import annotations

import streamlit as st

from core.autograd import AutogradGraph, TensorFlags, layered_layout
from core.autograd_errors import AUTOGRAD_ERRORS
from core.backward import BackwardResult
from core.cases import Outcome, run_demo, source_of
from dashboard import autograd_state, url_state
from dashboard.graph_charts import autograd_graph_figure, backward_animation_figure, gradient_figure
from dashboard.i18n import translate_plain
from dashboard.sidebar import current_settings, t


def texts(prefix: str, *keys: str) -> dict[str, str]:
    """Raw catalog strings for a chart builder, keyed without the prefix."""
    lang = current_settings().lang
    return {key: translate_plain(lang, f"{prefix}.{key}") for key in keys}


GRAPH_TEXT_KEYS = (
    "title",
    "variable",
    "line",
    "shape",
    "saved",
    "kind.leaf_grad",
    "kind.leaf_no_grad",
    "kind.operation",
    "kind.output",
)


def flags_table(flags: tuple[TensorFlags, ...]) -> None:
    st.dataframe(
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
        hide_index=True,
        key="autograd.flags",
    )


def graph_chart(graph: AutogradGraph) -> None:
    """The recorded graph, or an explanation when PyTorch recorded nothing."""
    if not graph.recorded:
        st.info(t("autograd.graph.empty"), icon=":material/hide_source:")
        return
    figure = autograd_graph_figure(graph, layered_layout(graph), texts("autograd.graph", *GRAPH_TEXT_KEYS))
    st.plotly_chart(figure, key="autograd.graph")
    st.caption(t("autograd.graph.caption"))


def backward_results(result: BackwardResult, analytic) -> None:
    """Each leaf's gradient next to its values, the analytic check where known, and backward step by step."""
    chart_texts = texts("autograd.grad_chart", "title", "index", "analytic")
    for leaf in result.leaves:
        leaf_analytic = analytic.reshape(-1).tolist() if analytic is not None and leaf.name == "x" else None
        st.plotly_chart(gradient_figure(leaf, leaf_analytic, chart_texts), key=f"autograd.grad.{leaf.name}")
        st.caption(t("autograd.grad.printed", name=leaf.name))
        st.code(leaf.printed, language="text")
        if leaf_analytic is not None:
            agrees = all(abs(a - g) <= 1e-3 * max(1.0, abs(a)) for a, g in zip(leaf_analytic, leaf.grad, strict=True))
            key = "autograd.analytic.agrees" if agrees else "autograd.analytic.differs"
            st.success(t(key)) if agrees else st.warning(t(key))
    st.subheader(t("autograd.steps.header"))
    st.markdown(t("autograd.steps.intro"))
    positions = layered_layout(result.graph)
    frame_texts = texts("autograd.steps", "frame", "play", "step")
    st.plotly_chart(
        backward_animation_figure(result.graph, positions, result.visits, frame_texts), key="autograd.backward_steps"
    )
    st.dataframe(
        [
            {"#": v.order + 1, t("autograd.steps.node"): v.label, t("autograd.steps.incoming"): " , ".join(v.incoming)}
            for v in result.visits
        ],
        hide_index=True,
        key="autograd.visits",
    )


def backward_failure(exc: RuntimeError, nothing_requires_grad: bool, reduced: bool) -> None:
    """PyTorch's refusal, verbatim, and the one-click fix that applies."""
    st.error(t("autograd.backward.failed"), icon=":material/error:")
    st.code(f"{type(exc).__name__}: {exc}", language="text")
    if nothing_requires_grad:
        st.button(
            t("autograd.fix.enable_grad"), key="autograd.fix_grad", on_click=autograd_state.enable_grad, args=("x",)
        )
    elif not reduced:
        st.button(
            t("autograd.fix.reduce_sum"),
            key="autograd.fix_reduce",
            on_click=autograd_state.set_value,
            args=("reduce", "sum"),
        )


def outcome_block(outcome: Outcome) -> None:
    """What a demo printed, warned and raised, PyTorch's words verbatim."""
    if outcome.printed:
        st.code(outcome.printed, language="text")
    for warning in outcome.warnings:
        st.code(f"UserWarning: {warning}", language="text")
    if outcome.failed:
        st.code(f"{outcome.error_type}: {outcome.error}", language="text")


def error_cases(x) -> None:
    """Each autograd error run live with PyTorch's message, and its fix one click away."""
    fixed = set(url_state.get("fixed"))
    for case in AUTOGRAD_ERRORS:
        with st.expander(t(f"autograd.case.{case.key}.title"), expanded=case.key in fixed):
            st.markdown(t(f"autograd.case.{case.key}.explain"))
            st.code(source_of(case.broken), language="python")
            outcome_block(run_demo(case.broken, x))
            label = t("autograd.case.hide_fix") if case.key in fixed else t("autograd.case.apply_fix")
            st.button(label, key=f"autograd.fix.{case.key}", on_click=autograd_state.toggle_fix, args=(case.key,))
            if case.key in fixed:
                st.markdown(t(f"autograd.case.{case.key}.fix"))
                st.code(source_of(case.fixed), language="python")
                outcome_block(run_demo(case.fixed, x))
