"""Rendering pieces of the Eager vs compiled page: capture, fullgraph, export, recompiles and cost."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.compiled.capture import Explained, Exported, Fullgraph
from core.compiled.cost import BackendCost, break_even_calls, unavailable_reason
from core.compiled.guards import Recompiles
from core.compiled.rewrite import RewriteRefused
from core.compiled.run import CaptureResult
from core.compiled.spec import VERSIONS
from core.program import Program
from core.timing import within_spread
from dashboard import number_format as nf
from dashboard.chart_display import show_chart
from dashboard.i18n import current_lang, t, tp
from dashboard.i18n import texts as catalog_texts
from dashboard.messages import error_message
from dashboard.widgets import show_table
from pages.compiled import state
from pages.compiled.charts import capture_figure, cost_figure, recompile_figure

GRAPH_MARK, BREAK_MARK = "■", "✗"
DYNAMIC_TEXT_KEYS = ("dynamic_None", "dynamic_True")  # one per core.compiled.guards.DYNAMIC_CHOICES


def refusal_text(exc: Exception) -> str:
    """Why a rewrite does not apply, in the learner's language."""
    if isinstance(exc, RewriteRefused):
        return t(f"compiled.rewrite.{exc.code}", line=exc.line)
    return t("compiled.rewrite.fails", reason=error_message(current_lang(), exc))


PLAIN_CAUSES = (  # (the cause's catalog suffix, what PyTorch's own text says), the first that matches wins
    ("data_branch", ("generic_jump", "Data-dependent branching")),
    ("data_guard", ("GuardOnDataDependentSymNode", "data-dependent expression")),
)


def cause_of(pytorch_text: str) -> str:
    """The known cause PyTorch's text names (a PLAIN_CAUSES suffix), or "generic"."""
    return next((c for c, marks in PLAIN_CAUSES if any(m in pytorch_text for m in marks)), "generic")


def plain_cause(pytorch_text: str) -> str:
    """One plain sentence, in the learner's language, for a graph break or an export refusal PyTorch words."""
    return t(f"compiled.plain.{cause_of(pytorch_text)}")


def version_picker(view: CaptureResult) -> None:
    """As written, or one of the two rewrites PyTorch suggests (disabled, with the reason, where it cannot apply)."""
    columns = st.columns(3)
    current = _version()
    for column, version in zip(columns, VERSIONS, strict=True):
        refused = {"where": view.where_refused, "cond": view.cond_refused}.get(version)
        column.button(
            t(f"compiled.version.{version}"),
            key=f"compiled.version.{version}",
            on_click=state.choose_version,
            args=(version,),
            type="primary" if version == current else "secondary",
            disabled=refused is not None,
            help=refusal_text(refused) if refused is not None else None,
            width="stretch",
        )


def _version() -> str:
    return state.current().version


def annotated_code(program: Program, explained: Explained) -> str:
    """The program with, per line, the graphs that captured its operations and a mark where Dynamo broke."""
    graphs_of: dict[int, list[int]] = {}
    for number, graph in enumerate(explained.graphs, 1):
        for line in graph.lines:
            if line is not None and number not in graphs_of.setdefault(line, []):
                graphs_of[line].append(number)
    breaks = {b.line for b in explained.breaks}
    rows = []
    for line, depth, text, _ in program.listing():
        marks = " ".join(f"{GRAPH_MARK}{n}" for n in graphs_of.get(line, []))
        cut = f"{BREAK_MARK} " if line in breaks else "  "
        number = f"{line:>2}" if line is not None else "  "
        rows.append(f"{cut}{number} │ {'    ' * depth}{text}" + (f"   {marks}" if marks else ""))
    return "\n".join(rows)


def explained_section(explained: Explained, key: str) -> None:
    """Metrics, the capture chart and the breaks with their reasons, for one version of the program."""
    if explained.error:
        st.error(t("compiled.explain.failed"), icon=":material/error:")
        st.code(explained.error, language="text", wrap_lines=True)
        return
    columns = st.columns(3)
    columns[0].metric(t("compiled.explain.graphs"), nf.integer(explained.graph_count))
    columns[1].metric(t("compiled.explain.breaks"), nf.integer(explained.break_count) if not explained.skipped else "—")
    columns[2].metric(t("compiled.explain.seconds"), nf.time_span(explained.seconds))
    texts = catalog_texts("compiled.chart.capture", "title", "graph", "break", "breaks", "line", "ops")
    if explained.skipped:
        st.warning(t("compiled.explain.skipped"), icon=":material/warning:")
        return
    show_chart(capture_figure(explained, texts), f"compiled.capture.{key}")
    if explained.breaks:
        for sentence in dict.fromkeys(plain_cause(b.reason) for b in explained.breaks):
            st.info(sentence, icon=":material/lightbulb:")
        show_table(
            [
                {
                    tp("compiled.explain.col.line"): b.line,
                    tp("compiled.explain.col.source"): b.source,
                    tp("compiled.explain.col.reason"): b.reason,
                }
                for b in explained.breaks
            ],
            key=f"compiled.breaks.{key}",
        )


def fullgraph_section(result: Fullgraph, offer_rewrites: bool) -> None:
    """One graph and its output, or PyTorch's refusal verbatim and the rewrites it suggests, one click each."""
    if not _outcome("compiled.fullgraph", result.compiled, result.seconds, result.printed, "text", result):
        return
    if offer_rewrites and result.suggestions:
        st.markdown(t("compiled.fullgraph.suggests"))
        columns = st.columns(len(result.suggestions))
        for column, suggestion in zip(columns, result.suggestions, strict=True):
            column.button(
                t(f"compiled.fullgraph.apply.{suggestion}"),
                key=f"compiled.apply.{suggestion}",
                on_click=state.choose_version,
                args=(suggestion,),
                icon=":material/auto_fix_high:",
                width="stretch",
            )


def export_section(result: Exported) -> None:
    _outcome("compiled.export", result.exported, result.seconds, result.code, "python", result)


def _outcome(prefix: str, succeeded: bool, seconds: float, shown: str, language: str, result) -> bool:
    """What PyTorch produced and how long it took, or its refusal verbatim; True when it refused."""
    if succeeded:
        st.success(t(f"{prefix}.ok", seconds=nf.time_span(seconds)), icon=":material/check_circle:")
        st.code(shown, language=language, wrap_lines=True)
        return False
    st.error(t(f"{prefix}.refused", error=result.error_type), icon=":material/error:")
    st.markdown(plain_cause(f"{result.error_type}: {result.error}"))
    st.code(result.error, language="text", wrap_lines=True)
    return True


def recompile_section(runs: Sequence[Recompiles]) -> None:
    texts = catalog_texts("compiled.chart.recompile", "title", "call", "graphs")
    texts |= {"no_recompile": tp("compiled.recompile.none")} | catalog_texts("compiled.recompile", *DYNAMIC_TEXT_KEYS)
    for run in runs:
        if run.error:
            st.error(t("compiled.recompile.failed", setting=texts[f"dynamic_{run.dynamic}"]), icon=":material/error:")
            st.code(run.error, language="text", wrap_lines=True)
    if not any(call.compiled_graphs for run in runs for call in run.calls):
        st.info(t("compiled.recompile.nothing"), icon=":material/info:")
    show_chart(recompile_figure(runs, texts), "compiled.recompile")
    rows = []
    for run in runs:
        for number, call in enumerate(run.calls, 1):
            rows.append(
                {
                    tp("compiled.recompile.col.dynamic"): texts[f"dynamic_{run.dynamic}"],
                    tp("compiled.recompile.col.call"): number,
                    tp("compiled.recompile.col.numel"): call.numel,
                    tp("compiled.recompile.col.dtype"): call.dtype,
                    tp("compiled.recompile.col.graphs"): call.compiled_graphs,
                    tp("compiled.recompile.col.reasons"): "; ".join(call.reasons) or "—",
                }
            )
    show_table(rows, key="compiled.recompile.table")
    reasons = [
        t("compiled.recompile.reasons_of", setting=texts[f"dynamic_{run.dynamic}"], call=number)
        + "\n"
        + "\n".join(f"  {reason}" for reason in call.reasons)
        for run in runs
        for number, call in enumerate(run.calls, 1)
        if call.reasons
    ]
    if reasons:  # a table cell cuts Dynamo's long sentences: here they wrap, whole
        st.code("\n".join(reasons), language="text", wrap_lines=True)


def cost_rows(costs: Sequence[BackendCost]) -> list[dict[str, object]]:
    """One row per backend: compile time (and, for Inductor, whether its cache was cold or warm), time per call, and
    the calls it needs to pay for its compilation."""
    eager = next((c for c in costs if c.backend == "eager"), None)
    with_cache = any(c.cache is not None for c in costs)
    rows = []
    for cost in costs:
        if cost.per_call is None:
            rows.append({tp("compiled.cost.col.backend"): cost.backend, tp("compiled.cost.col.per_call"): "—"})
            continue
        cache = {tp("compiled.cost.col.cache"): t(f"compiled.cost.cache.{cost.cache}") if cost.cache else "—"}
        rows.append(
            {
                tp("compiled.cost.col.backend"): cost.backend,
                tp("compiled.cost.col.compile"): nf.time_span(cost.compile_s) if cost.compile_s is not None else "—",
                **(cache if with_cache else {}),
                tp("compiled.cost.col.per_call"): nf.time_span(cost.per_call.median),
                tp("compiled.cost.col.iqr"): nf.time_span(cost.per_call.iqr),
                tp("compiled.cost.col.break_even"): _break_even_text(eager, cost),
            }
        )
    return rows


def _break_even_text(eager: BackendCost | None, cost: BackendCost) -> str:
    if cost.backend == "eager" or eager is None or eager.per_call is None:
        return "—"
    if within_spread(eager.per_call, cost.per_call):
        return t("compiled.cost.tie")
    calls = break_even_calls(eager, cost)
    return nf.integer(round(calls)) if calls is not None else t("compiled.cost.never")


def cost_section(costs: Sequence[BackendCost]) -> None:
    for cost in costs:
        if cost.unavailable is not None:
            st.warning(t(f"compiled.cost.unavailable.{cost.unavailable}", backend=cost.backend), icon=":material/info:")
        if cost.error:
            st.error(t("compiled.cost.failed", backend=cost.backend), icon=":material/error:")
            st.code(cost.error, language="text", wrap_lines=True)
    show_table(cost_rows(costs), key="compiled.cost.table")
    texts = catalog_texts("compiled.chart.cost", "title", "calls", "seconds")
    show_chart(cost_figure(costs, texts, max_calls=10**6), "compiled.cost")


def backend_note(device: str) -> None:
    """Say up front when Inductor cannot run here (no C++ compiler on the CPU, no Triton on CUDA)."""
    reason = unavailable_reason("inductor", device)
    if reason is not None:
        st.info(t(f"compiled.cost.unavailable.{reason}", backend="inductor"), icon=":material/info:")


def show_code(text: str) -> None:
    """The program with its capture marks, and what the marks mean."""
    st.code(text, language="text", wrap_lines=True)
    st.caption(t("compiled.marks", graph=GRAPH_MARK, cut=BREAK_MARK))


def agreement(agrees: bool) -> None:
    """Whether the rewritten program computes exactly what the program as written computes eagerly."""
    if agrees:
        st.success(t("compiled.agrees"), icon=":material/check_circle:")
    else:
        st.warning(t("compiled.disagrees"), icon=":material/warning:")
