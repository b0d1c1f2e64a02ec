"""Rendering pieces of the step-by-step page: code view, tensor cards, value chart and the fx contrast."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import streamlit as st

from core.program import Program, StepResult
from core.settings import Settings
from core.steps.run import StepsResult
from core.steps.spec import SCALE_LIMIT
from core.tensors import InputSpec, TensorSummary
from dashboard import number_format as nf
from dashboard import url_state
from dashboard.chart_display import show_chart
from dashboard.i18n import current_lang, t, tp
from dashboard.messages import error_message
from dashboard.widgets import show_table
from pages.steps import state as steps_state
from pages.steps.cache import define_by_run_view
from pages.steps.charts import histogram_figure, value_paths_figure

DONE_MARK, NEXT_MARK, TODO_MARK = "✔", "▶", " "


def code_view(program: Program, view: StepsResult) -> str:
    """The program with a gutter (ran, next, or pending, and the line number); a line a loop ran several times
    says how many, an `if` says which way it went."""
    runs = Counter(step.line for step in view.trace.steps)
    decided = {d.line: d.taken for d in view.trace.decisions}  # a loop's if: the latest turn's decision
    rows = []
    for line, depth, text, inside in program.listing():
        ran = runs.get(line, 0) or line in decided or any(runs.get(inner) for inner in inside)
        mark = NEXT_MARK if line is not None and line == view.next_line else DONE_MARK if ran else TODO_MARK
        suffix = f"   → {decided[line]}" if line in decided else f"   ×{runs[line]}" if runs.get(line, 0) > 1 else ""
        number = f"{line:>2}" if line is not None else "  "
        rows.append(f"{mark} {number} │ {'    ' * depth}{text}{suffix}")
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
        if step.context:
            st.caption(t("steps.card.turn", turn=", ".join(f"{name} = {value}" for name, value in step.context)))
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


def value_chart(view: StepsResult) -> None:
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


def fx_contrast(view: StepsResult) -> None:
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


def control_flow(view: StepsResult) -> None:
    """Eager runs a data-dependent branch; symbolic tracing refuses it with PyTorch's own message."""
    st.markdown(t("steps.control.intro"))
    contrast = view.control_flow
    st.code(contrast.source, language="python", wrap_lines=True)
    left, right = st.columns(2)
    left.caption(t("steps.control.eager"))
    left.code(contrast.eager_printed, language="text", wrap_lines=True)
    right.caption(t("steps.control.traced"))
    right.code(f"{contrast.trace_error_type}: {contrast.trace_error}", language="text", wrap_lines=True)


def define_by_run_section(program: Program, spec: InputSpec, settings: Settings) -> None:
    """The learner's program on x and on scale·x with grad tracking: which branches ran, how many assignments,
    and how big a graph autograd recorded for each."""
    st.markdown(t("steps.dbr.intro"))
    limit = SCALE_LIMIT
    st.slider(
        t("steps.dbr.scale"), -limit, limit, step=0.5, key=url_state.widget_key("scale"), **url_state.bind("scale")
    )
    scale = steps_state.current().scale
    runs = define_by_run_view(program.text, spec, settings, scale)
    labels = ("x", f"{nf.significant(scale, 4)} · x")
    show_table(
        [
            {
                tp("steps.dbr.input"): label,
                tp("steps.dbr.branches"): "; ".join(f"{line} → {taken}" for line, taken in run.decisions) or "—",
                tp("steps.dbr.executed"): run.executed,
                tp("steps.dbr.nodes"): run.graph_nodes,
                tp("steps.dbr.output", name=program.output): run.output_printed,
            }
            for label, run in zip(labels, runs, strict=True)
        ],
        key="steps.dbr.table",
    )
    for label, run in zip(labels, runs, strict=True):
        if run.error is not None:
            st.warning(f"{label}: {error_message(current_lang(), run.error)}", icon=":material/warning:")
    if not program.branches:
        st.info(t("steps.dbr.no_branch"), icon=":material/call_split:")
    elif len({run.graph_nodes for run in runs}) > 1 or len({run.decisions for run in runs}) > 1:
        st.success(t("steps.dbr.differ"), icon=":material/call_split:")
    else:
        st.info(t("steps.dbr.same"), icon=":material/call_split:")


def show_program_error(error) -> None:
    st.error(error_message(current_lang(), error), icon=":material/error:")
