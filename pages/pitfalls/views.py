"""Rendering pieces of the pitfalls page: one case (mistake, fix, link), the timing case, and the checklist."""

from __future__ import annotations

from dataclasses import asdict

import streamlit as st

from core.cases import Outcome, shown_source
from core.pitfalls.mistakes import (
    LOOP_BUDGET_S,
    SYNC_BUDGET_S,
    SYNC_TIMING,
    Pitfall,
    loop_speedup_for,
    sync_timing_for,
)
from dashboard import measurement_store
from dashboard import number_format as nf
from dashboard.case_views import outcome_block
from dashboard.exports import table_downloads
from dashboard.i18n import t
from dashboard.navigation import page_for
from dashboard.settings import current_settings
from pages.pitfalls import state as pitfalls_state


def explore_link(page: str, params: dict[str, str], label: str) -> None:
    st.page_link(page_for(page), label=label, icon=":material/open_in_new:", query_params=params or None)


TIMED_CASES = ("unnecessary_loop", SYNC_TIMING)  # the cases that measure something: only they can measure again


def case_view(pitfall: Pitfall, outcomes: tuple[Outcome, ...]) -> None:
    """The case under its title: the mistake and its fix run for real, the timing where it has one, and its page."""
    st.header(t(f"pitfalls.case.{pitfall.key}.title"))
    case_body(pitfall, outcomes)
    if pitfall.key == TIMED_CASES[0]:
        loop_timing()
    explore_link(pitfall.page, dict(pitfall.params), t("pitfalls.explore"))


def case_dialog(pitfall: Pitfall, outcomes: tuple[Outcome, ...]) -> None:
    """The case opened from the checklist, in a dialog over it: it shows where the reader is, with no scrolling."""

    @st.dialog(t(f"pitfalls.case.{pitfall.key}.title"), width="large")
    def show() -> None:
        case_body(pitfall, outcomes)
        explore_link(pitfall.page, dict(pitfall.params), t("pitfalls.explore"))

    show()


def case_body(pitfall: Pitfall, outcomes: tuple[Outcome, ...]) -> None:
    """The broken code and what PyTorch really does with it, then the fix and its real result, and why."""
    key = pitfall.key
    if pitfall.lesson:
        st.caption(t("pitfalls.from_lesson"))
        st.markdown(t(f"pitfalls.case.{key}.lesson"))
    # mistake above fix, each the column's full width: side by side, their code and PyTorch's messages were cut
    st.markdown(t("pitfalls.broken"))
    st.code(shown_source(pitfall.case.broken), language="python", wrap_lines=True)
    outcome_block(outcomes[0])
    st.markdown(t("pitfalls.fixed"))
    st.code(shown_source(pitfall.case.fixed), language="python", wrap_lines=True)
    outcome_block(outcomes[1])
    st.markdown(t(f"pitfalls.case.{key}.explain"))
    if pitfall.also is not None:
        st.markdown(t(f"pitfalls.case.{key}.also"))
        st.code(shown_source(pitfall.also), language="python", wrap_lines=True)
        outcome_block(outcomes[2])


def loop_timing() -> None:
    """Both functions above, timed by the engine on 1000 elements from the seed."""
    settings = current_settings()
    result = measurement_store.measured(
        "pitfalls", loop_speedup_for, settings, settings=settings, measurements=2, budget_s=LOOP_BUDGET_S
    )
    columns = st.columns(3)
    columns[0].metric(t("pitfalls.loop_time"), nf.duration(result.loop_s, "ms", 2))
    columns[1].metric(t("pitfalls.vectorized_time"), nf.duration(result.vectorized_s, "µs", 1))
    columns[2].metric(t("pitfalls.speedup"), t("timing.within_spread") if result.tie else nf.ratio(result.speedup))
    st.caption(t("pitfalls.loop_timing_note", n=nf.integer(result.n)))
    row = {**asdict(result), "speedup": result.speedup}
    table_downloads("pitfalls", "loop-timing", [row], {"case": "unnecessary_loop"})


def sync_timing_view() -> None:
    """Timing GPU work without synchronising: live on CUDA, explained (and shown harmless) on the CPU."""
    settings = current_settings()
    st.header(t("pitfalls.case.sync_timing.title"))
    st.markdown(t("pitfalls.case.sync_timing.explain"))
    result = measurement_store.measured(
        "pitfalls", sync_timing_for, settings, settings=settings, measurements=1, budget_s=SYNC_BUDGET_S
    )
    columns = st.columns(3)
    columns[0].metric(t("pitfalls.sync.naive"), nf.duration(result.naive_s, "ms", 3))
    columns[1].metric(t("pitfalls.sync.synced"), nf.duration(result.synced_s, "ms", 3))
    columns[2].metric(t("pitfalls.sync.ratio"), nf.ratio(result.under_report, 2))
    row = {
        "size": result.size,
        "naive_s": result.naive_s,
        "synced_s": result.synced_s,
        "under_report": result.under_report,
    }
    table_downloads("pitfalls", "sync-timing", [row], {"case": "sync_timing"})
    key = "pitfalls.sync.cuda" if result.device.startswith("cuda") else "pitfalls.sync.cpu"
    st.info(t(key, size=nf.integer(result.size), ratio=nf.fixed(result.under_report, 2)))
    explore_link("loops", {}, t("pitfalls.explore"))


def checklist() -> None:
    """The lesson's five habits, each linked to its demonstration, ticked for this session (and in the URL)."""
    st.header(t("pitfalls.checklist.header"))
    done = set(pitfalls_state.current().done)
    st.progress(
        len(done) / len(pitfalls_state.CHECKLIST),
        text=t("pitfalls.checklist.progress", done=len(done), total=len(pitfalls_state.CHECKLIST)),
    )
    for item in pitfalls_state.CHECKLIST:
        row = st.columns([3, 1, 1], vertical_alignment="center")  # the links on their item's line
        key = pitfalls_state.tick_key(item.key)
        st.session_state[key] = item.key in done
        label = t(f"pitfalls.checklist.{item.key}")
        row[0].checkbox(label, key=key, on_change=pitfalls_state.tick, args=(item.key,), wrap=True)  # never cut
        if item.case:
            row[1].button(
                t("pitfalls.checklist.see_case"),
                key=f"pitfalls.show.{item.key}",
                on_click=pitfalls_state.see_case,
                args=(item.case,),
            )
        with row[2]:
            explore_link(item.page, item.params, t("pitfalls.checklist.explore"))
