"""Pitfalls and checklist: every typical mistake run for real, then fixed, and the lesson's checklist."""

import streamlit as st

from core.pitfalls.mistakes import CASE_KEYS, PITFALLS
from core.pitfalls.reproduce import script
from core.pitfalls.spec import SPEC
from dashboard import measurement_store, program_state
from dashboard.exports import reproduce_section
from dashboard.frame import Page, PageFrame, render
from dashboard.i18n import t
from dashboard.widgets import choice_radio
from pages.pitfalls import state, views


def body(page: Page) -> None:
    """The cases beside the one shown (first, while presenting), then the lesson's checklist."""
    settings, chosen = page.settings, page.state.case
    pitfall = next((p for p in PITFALLS if p.key == chosen), None)
    with page.first_screen or st.container():
        menu, shown = st.columns([1, 3])
        choice_radio("case", t("pitfalls.cases"), CASE_KEYS, "pitfalls.case.{}.title", menu)
        with shown:
            demos = program_state.demos(pitfall.functions if pitfall else (), settings)
            if pitfall is None:
                views.sync_timing_view()
            else:
                views.case_view(pitfall, demos.outcomes)
            if chosen in views.TIMED_CASES:
                st.button(
                    t("common.measure_again"),
                    key="pitfalls.measure_again",
                    on_click=measurement_store.measure_again,
                    args=("pitfalls",),
                )
            reproduce_section("pitfalls", script(chosen, demos.x, settings))
    st.divider()
    views.checklist()
    if pitfall is not None and state.case_requested():
        views.case_dialog(pitfall, demos.outcomes)


render(PageFrame(name="pitfalls", spec=SPEC), body)
