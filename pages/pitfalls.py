"""Pitfalls and checklist: every typical mistake run for real, then fixed, and the lesson's checklist."""

import streamlit as st

from core.pitfalls import CASE_KEYS, PITFALLS, SYNC_TIMING
from core.reproduce import pitfalls_script
from dashboard import measurement_store, pitfalls_state, pitfalls_views, program_state, url_state
from dashboard.exports import reproduce_section, run_settings
from dashboard.sidebar import current_settings, t
from dashboard.widgets import choice_radio, show_url_notices

settings = current_settings()
program_state.load()
pitfalls_state.load()
show_url_notices(p.name for p in pitfalls_state.PITFALLS_PARAMS)
url_state.sync_url(pitfalls_state.PITFALLS_PARAMS)
st.title(t("pitfalls.title"))
st.markdown(t("pitfalls.intro"))

menu, shown = st.columns([1, 3])
choice_radio("case", t("pitfalls.cases"), CASE_KEYS, "pitfalls.case.{}.title", menu)
with shown:
    chosen = url_state.get("case")
    if chosen == SYNC_TIMING:
        pitfalls_views.sync_timing_view()
    else:
        pitfall = next(p for p in PITFALLS if p.key == chosen)
        pitfalls_views.case_view(pitfall, program_state.demo_vector(settings))

    st.button(
        t("loops.measure_again"),
        key="pitfalls.measure_again",
        on_click=measurement_store.measure_again,
        args=("pitfalls",),
    )
    reproduce_section("pitfalls", pitfalls_script(chosen, program_state.demo_vector(settings), run_settings(settings)))

st.divider()
pitfalls_views.checklist()
