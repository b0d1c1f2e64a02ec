"""Pitfalls and checklist: every typical mistake run for real, then fixed, and the lesson's checklist."""

import streamlit as st

from core.pitfalls.mistakes import CASE_KEYS, PITFALLS
from core.pitfalls.reproduce import script
from dashboard import measurement_store, program_state, url_state
from dashboard.exports import reproduce_section
from dashboard.i18n import t
from dashboard.presenter import presenting
from dashboard.settings import current_settings
from dashboard.widgets import choice_radio, show_url_notices
from pages.pitfalls import state, views

settings = current_settings()
program_state.load()
state.load()
show_url_notices(p.name for p in state.PITFALLS_PARAMS)
url_state.sync_url(state.PITFALLS_PARAMS)
st.title(t("pitfalls.title"))
if not presenting():  # presenting: the case first, on the first screen, and the introduction after it
    st.markdown(t("pitfalls.intro"))

menu, shown = st.columns([1, 3])
choice_radio("case", t("pitfalls.cases"), CASE_KEYS, "pitfalls.case.{}.title", menu)
with shown:
    chosen = url_state.get("case")
    pitfall = next((p for p in PITFALLS if p.key == chosen), None)
    demos = program_state.demos(pitfall.functions if pitfall else (), settings)
    if pitfall is None:
        views.sync_timing_view()
    else:
        views.case_view(pitfall, demos.outcomes)

    st.button(
        t("common.measure_again"),
        key="pitfalls.measure_again",
        on_click=measurement_store.measure_again,
        args=("pitfalls",),
    )
    reproduce_section("pitfalls", script(chosen, demos.x, settings))

if presenting():
    st.markdown(t("pitfalls.intro"))
st.divider()
views.checklist()
if pitfall is not None and state.case_requested():
    views.case_dialog(pitfall, demos.outcomes)
