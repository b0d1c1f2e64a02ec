"""Rendering pieces of the loops page: agreement, the headline speedup, the four charts, table and CSV."""

from __future__ import annotations

import streamlit as st

from core.loops import IMPLEMENTATIONS, Agreement
from core.sweep import SweepResult
from dashboard.chart_display import show_chart
from dashboard.exports import table_downloads
from dashboard.loops_charts import bandwidth_figure, per_element_figure, speedup_figure, time_figure
from dashboard.sidebar import t, tp
from dashboard.widgets import show_error

HEADLINE_N = 10_000
CHART_KEYS = (
    "estimated",
    "time_title",
    "seconds",
    "speedup_title",
    "times_faster",
    "speedup_of",
    "per_element_title",
    "ns_per_element",
    "bandwidth_title",
    "copy",
)


def chart_texts() -> dict[str, str]:
    texts = {key: tp(f"loops.chart.{key}") for key in CHART_KEYS}
    texts |= {name: tp(f"loops.impl.{name}") for name in IMPLEMENTATIONS}
    return texts


def agreement(result: Agreement, output: str) -> None:
    """Do the three implementations compute the same tensor? Checked on (up to 1000 elements of) the current x."""
    diffs = ", ".join(f"{tp(f'loops.impl.{k}')}: {v:.3g}" for k, v in result.max_abs_diff.items())
    key = "loops.agree" if result.agrees else "loops.disagree"
    message = t(key, output=output, rtol=result.rtol, atol=result.atol, diffs=diffs)
    (st.success if result.agrees else st.warning)(message)


def refusals(result: SweepResult) -> None:
    """Sizes the sweep itself refused: over memory when their inputs were built, or past its time cap."""
    for _, exc in result.refused:
        show_error(exc)


def headline(result: SweepResult) -> None:
    """Speedup of the vectorized call over each loop at n = 10^4 (or the nearest size run), estimated or not."""
    sizes = sorted({p.n for p in result.points})
    n = min(sizes, key=lambda size: abs(size - HEADLINE_N))
    columns = st.columns(3)
    for column, name in zip(columns, IMPLEMENTATIONS[:2], strict=False):
        point = result.point(name, n)
        label = t("loops.headline", loop=tp(f"loops.impl.{name}"), n=f"{n:,}")
        suffix = "" if point.measured else " " + tp("loops.estimated_tag")
        column.metric(label, f"{result.speedup(name, n):,.0f}×{suffix}")
    columns[2].metric(t("loops.wall"), f"{result.wall_s:.1f} s")


def charts(result: SweepResult) -> None:
    texts = chart_texts()
    top = st.columns(2)
    show_chart(time_figure(result, texts), "loops.chart.time", top[0])
    show_chart(speedup_figure(result, texts), "loops.chart.speedup", top[1])
    bottom = st.columns(2)
    show_chart(per_element_figure(result, texts), "loops.chart.per_element", bottom[0])
    show_chart(bandwidth_figure(result, texts), "loops.chart.bandwidth", bottom[1])
    st.caption(t("loops.bandwidth_explain"))


def table_and_download(rows: list[dict[str, object]], result: SweepResult, page_settings: dict[str, object]) -> None:
    st.dataframe(rows, hide_index=True, key="loops.table")
    if any(not p.measured for p in result.points):
        st.caption(t("loops.estimated_explain"))
    table_downloads("loops", "sweep", rows, page_settings)
