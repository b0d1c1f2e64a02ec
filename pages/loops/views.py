"""Rendering pieces of the loops page: agreement, the headline speedup, the four charts, table and CSV; and where
eager's time goes: the profiler's operators, the share outside them, its timeline and Chrome traces."""

from __future__ import annotations

import math

import streamlit as st

from core.loops.implementations import IMPLEMENTATIONS, LOOPS
from core.loops.profile import MAX_TRACE_BYTES, PROFILED, ProfileReport
from core.loops.run import LoopsCheck
from core.loops.spec import SPEC
from core.loops.sweep import SweepResult
from core.loops.table import profile_rows, sweep_rows
from dashboard import measurement_store, url_state
from dashboard import number_format as nf
from dashboard.chart_display import show_chart, show_charts_in_pairs
from dashboard.exports import table_downloads
from dashboard.float_input import float_input
from dashboard.i18n import current_lang, t, tp, translate_plain
from dashboard.i18n import texts as catalog_texts
from dashboard.widgets import limits_of, show_error, show_table
from pages.loops import state
from pages.loops.charts import (
    bandwidth_figure,
    per_element_figure,
    self_time_figure,
    speedup_figure,
    time_figure,
    timeline_figure,
)

HEADLINE_N = 10_000
SIZE_GRID = tuple(sorted({m * 10**e for e in range(1, 9) for m in (1, 3)} - {3 * 10**8}))  # the sizes offered
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
    return catalog_texts("loops.chart", *CHART_KEYS) | catalog_texts("loops.impl", *IMPLEMENTATIONS)


def controls(max_n: int) -> None:
    """The sizes to sweep (from the grid up to the device's limit), the budget per measurement, measure again."""
    columns = st.columns([3, 1, 1])
    options = sorted({n for n in SIZE_GRID if n <= max_n} | set(state.current().sizes))
    lang = current_lang()  # read now: Streamlit may call format_func after the script run
    columns[0].multiselect(
        t("loops.sizes"),
        options,
        format_func=lambda n: nf.integer(n, lang),
        max_selections=SPEC.named("sizes").kind.count,
        key=url_state.widget_key("sizes"),
        **url_state.bind("sizes"),
    )
    # "0,5" in Spanish, as the text writes it (a number_input always writes a decimal dot)
    float_input(SPEC.named("budget"), t("loops.budget"), columns[1], help=t("loops.budget_help"))
    columns[2].button(
        t("common.measure_again"),
        key="loops.measure_again",
        on_click=measurement_store.measure_again,
        args=("loops",),
        width="stretch",
    )


def agreement(checked: LoopsCheck) -> None:
    """Do the three implementations compute the same tensor? Checked on (up to 1000 elements of) the current x."""
    # "; " between implementations: with a decimal comma, ", " would split 0,5 in two
    diffs = "; ".join(f"{tp(f'loops.impl.{a.name}')}: {nf.significant(a.max_abs_diff, 3)}" for a in checked.agreement)
    key = "loops.agree" if checked.agrees else "loops.disagree"
    first = checked.agreement[0]
    message = t(key, output=checked.output, rtol=nf.number(first.rtol), atol=nf.number(first.atol), diffs=diffs)
    (st.success if checked.agrees else st.warning)(message)


def sweep_result(result: SweepResult, page_settings: dict[str, object], charts_area=None, partial: int = 0) -> None:
    """What the sweep refused, then the headline, the charts (in `charts_area` if given), and the table.

    `partial`: the sweep so far, after that many sizes (drawn again as sizes arrive: its keys are its own, and the
    downloads wait for the whole sweep).
    """
    suffix = f".partial{partial}" if partial else ""
    if not partial:
        refusals(result)
    if result.points:
        headline(result)
        with charts_area or st.container():
            charts(result, suffix)
        table_and_download(sweep_rows(result), result, page_settings, suffix)


def refusals(result: SweepResult) -> None:
    """Sizes the sweep itself refused: over memory when their inputs were built; past its time cap, in one message."""
    capped = {n: exc for n, exc in result.refused if getattr(exc, "code", None) == "sweep_time_cap"}
    for n, exc in result.refused:
        if n not in capped:
            show_error(exc)
    if capped:
        limit = nf.number(next(iter(capped.values())).params["limit"])
        sizes = "; ".join(nf.integer(n) for n in capped)
        st.error(t("loops.not_measured", limit=limit, sizes=sizes), icon=":material/timer_off:")


def headline(result: SweepResult) -> None:
    """Speedup of the vectorized call over each loop at n = 10^4 (or the nearest size run), estimated or not."""
    sizes = sorted({p.n for p in result.points})
    n = min(sizes, key=lambda size: abs(size - HEADLINE_N))
    columns = st.columns(3)
    for column, name in zip(columns, LOOPS, strict=False):
        point = result.point(name, n)
        # a short label that fits its column (a metric label is cut, not wrapped), the whole sentence in its help
        label = t("loops.headline_short", loop=tp(f"loops.impl_short.{name}"), n=nf.integer(n))
        whole = t("loops.headline", loop=tp(f"loops.impl.{name}"), n=nf.integer(n))
        suffix = "" if point.measured else " " + tp("loops.estimated_tag")
        value = tp("timing.within_spread") if result.tie(name, n) else nf.ratio(result.speedup(name, n))
        column.metric(label, f"{value}{suffix}", help=whole)
    columns[2].metric(t("loops.wall"), nf.duration(result.wall_s, "s", 1))


def charts(result: SweepResult, suffix: str = "") -> None:
    texts = chart_texts()
    shares = [nf.percent(b.share_of_copy, 1) for b in result.bandwidth]
    show_charts_in_pairs(
        [
            (time_figure(result, texts), "loops.chart.time" + suffix),
            (speedup_figure(result, texts), "loops.chart.speedup" + suffix),
            (per_element_figure(result, texts), "loops.chart.per_element" + suffix),
            (bandwidth_figure(result, texts, shares), "loops.chart.bandwidth" + suffix),
        ]
    )
    st.caption(t("loops.bandwidth_explain"))


# the table's stable column names (kept as they are in the CSV) by pattern: catalog key, implementation
COLUMN_PATTERNS = (
    ("_iqr_s", "loops.col.iqr"),
    ("_ns_per_element", "loops.col.per_element"),
    ("_estimated", "loops.col.estimated"),
    ("_runs", "loops.col.runs"),
    ("_noisy", "loops.col.noisy"),
    ("_s", "loops.col.time"),
)


def column_label(column: str, lang: str) -> str:
    """A sweep-table column in `lang`: "bucle de la lección (x[i]): tiempo (s)" for lesson_loop_s."""

    def impl(name: str) -> str:
        return translate_plain(lang, f"loops.impl.{name}")

    if column.startswith("speedup_"):
        return translate_plain(lang, "loops.col.speedup", impl=impl(column.removeprefix("speedup_")))
    for suffix, key in COLUMN_PATTERNS:
        name = column.removesuffix(suffix)
        if column.endswith(suffix) and name in IMPLEMENTATIONS:
            return translate_plain(lang, key, impl=impl(name))
    return translate_plain(lang, f"loops.col.{column}")


def table_and_download(
    rows: list[dict[str, object]], result: SweepResult, page_settings: dict[str, object], suffix: str = ""
) -> None:
    """The sweep's table; its CSV and JSON once the sweep is whole (no `suffix`)."""
    lang = current_lang()
    shown = [_single_runs_without_iqr(row) for row in rows]
    show_table(
        [{column_label(column, lang): value for column, value in row.items()} for row in shown],
        key="loops.table" + suffix,
        formats={column_label(c, lang): _in_microseconds for c in rows[0] if _is_time(c)} if rows else None,
    )
    if any(not p.measured for p in result.points):
        st.caption(t("loops.estimated_explain"))
    if not suffix:
        table_downloads("loops", "sweep", rows, page_settings)


def _is_time(column: str) -> bool:
    """A column of seconds per call (its median or IQR), shown in µs."""
    return any(column in (f"{name}_s", f"{name}_iqr_s") for name in IMPLEMENTATIONS)


def _single_runs_without_iqr(row: dict[str, object]) -> dict[str, object]:
    """The row as shown: an IQR of a size timed once is no spread at all (None, shown "—"), not 0."""
    return {
        column: None if column.endswith("_iqr_s") and row[column.removesuffix("iqr_s") + "runs"] <= 1 else value
        for column, value in row.items()
    }


def _in_microseconds(seconds: object) -> str:
    """Seconds written in µs with one decimal, in the learner's language; "—" where there is no figure."""
    if not nf.is_number(seconds) or math.isnan(float(seconds)):
        return "—"
    return nf.fixed(float(seconds) * 1e6, 1)


PROFILE_PAGE = "loops-profile"  # its own kept results and its own "measure again"
PROFILE_CHART_KEYS = (
    "self_title",
    "self_axis",
    "calls",
    "timeline_title",
    "start_axis",
    "depth_axis",
    "start",
    "duration",
)


def profile_chart_texts() -> dict[str, str]:
    return catalog_texts("loops.profile.chart", *PROFILE_CHART_KEYS) | catalog_texts("loops.impl", *PROFILED)


def profile_controls(profiled: bool) -> None:
    """The size n to profile and, once `profiled`, measure again (the profile is kept like any measurement)."""
    columns = st.columns([2, 1])
    columns[0].number_input(
        t("loops.profile.n"),
        **limits_of(SPEC.named("prof_n")),
        help=t("loops.profile.n_help", limit=nf.integer(SPEC.named("prof_n").kind.high)),
        key=url_state.widget_key("prof_n"),
        **url_state.bind("prof_n"),
    )
    if not profiled:
        return
    columns[1].button(
        t("common.measure_again"),
        key="loops.profile.measure_again",
        on_click=measurement_store.measure_again,
        args=(PROFILE_PAGE,),
        width="stretch",
    )


def profile_button() -> None:
    """The profile runs on demand: this button starts it (and writes `profile=1` to the URL)."""
    st.button(t("loops.profile.run"), key="loops.profile.run", on_click=state.profile, type="primary")


def profile_header() -> None:
    st.header(t("loops.profile.header"), anchor="profile")
    st.markdown(t("loops.profile.intro"))


def profile_result(report: ProfileReport, page_settings: dict[str, object]) -> None:
    """The share outside operators and the calls per implementation, the operator table and its chart, the timeline,
    and each implementation's Chrome trace to download."""
    columns = st.columns(len(PROFILED))
    for column, name in zip(columns, PROFILED, strict=True):
        profiled = report.profile(name)
        impl = tp(f"loops.impl.{name}")
        column.metric(t("loops.profile.python_share", impl=impl), nf.percent(profiled.python_share))
        column.caption(
            t(
                "loops.profile.summary",
                wall=nf.duration(profiled.wall_us * 1e-6, "µs", 1),
                unprofiled=nf.duration(profiled.unprofiled_us * 1e-6, "µs", 1),
                outside=nf.duration(profiled.outside_us * 1e-6, "µs", 1),
                calls=nf.integer(profiled.calls),
                events=nf.integer(profiled.event_count),
            )
        )
    st.caption(t("loops.profile.share_explain"))
    texts = profile_chart_texts()
    show_chart(self_time_figure(report, texts), "loops.chart.profile_self")
    lang = current_lang()
    rows = profile_rows(report)
    show_table([{profile_column_label(c, lang): v for c, v in row.items()} for row in rows], key="loops.profile.table")
    table_downloads("loops", "profile", rows, page_settings)
    show_chart(timeline_figure(report, texts), "loops.chart.profile_timeline")
    for name in PROFILED:
        profiled = report.profile(name)
        if profiled.events_capped:
            st.caption(
                t(
                    "loops.profile.events_capped",
                    impl=tp(f"loops.impl.{name}"),
                    shown=nf.integer(len(profiled.events)),
                    total=nf.integer(profiled.event_count),
                )
            )
    trace_downloads(report)


def trace_downloads(report: ProfileReport) -> None:
    """Each implementation's Chrome trace as a JSON file, for ui.perfetto.dev."""
    st.markdown(t("loops.profile.trace_help"))
    for column, name in zip(st.columns(len(PROFILED)), PROFILED, strict=True):
        profiled = report.profile(name)
        column.download_button(
            t("loops.profile.trace_download", impl=tp(f"loops.impl.{name}")),
            lambda profiled=profiled: profiled.chrome_trace,  # decompressed only when clicked
            file_name=f"eager-lab-loops-{name}-trace.json",
            mime="application/json",
            on_click="ignore",
            icon=":material/download:",
            key=f"loops.profile.trace.{name}",
        )
        if profiled.trace_capped:
            column.caption(t("loops.profile.trace_capped", size=nf.byte_size(MAX_TRACE_BYTES)))


def profile_column_label(column: str, lang: str) -> str:
    """A profile-table column in `lang`: "bucle de la lección (x[i]): llamadas" for lesson_loop_calls."""
    for name in PROFILED:
        if column.startswith(f"{name}_"):
            impl = translate_plain(lang, f"loops.impl.{name}")
            return translate_plain(lang, f"loops.profile.col.{column.removeprefix(name + '_')}", impl=impl)
    return translate_plain(lang, f"loops.profile.col.{column}")
