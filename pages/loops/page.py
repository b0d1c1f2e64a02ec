"""Loops vs vectorized: the lesson's loop, a loop over floats and one vectorized call, measured across sizes (one job
per size, drawn as they arrive); then, on demand, where eager's time goes: both under torch.profiler at one size."""

import streamlit as st

from core.limits import SizeLimitError
from core.loops.profile import ProfileRequest
from core.loops.reproduce import script
from core.loops.run import LoopsRequest, check_loops, profile_loops
from core.loops.sweep import MAX_SWEEP_N
from core.program import ProgramError
from core.tensors import InputError
from dashboard import jobs, measurement_store, program_state, url_state
from dashboard.exports import reproduce_section
from dashboard.i18n import t
from dashboard.navigation import page_for
from dashboard.presenter import controls_area, presenting
from dashboard.settings import current_settings
from dashboard.widgets import show_error, show_url_notices
from pages.loops import state, stream, views

PROFILE_BUDGET_S = 5.0
settings = current_settings()
program_state.load()
state.load()
show_url_notices(p.name for p in (*program_state.PROGRAM_PARAMS, *state.LOOPS_PARAMS))
program_state.sync_url()
url_state.sync_url(state.LOOPS_PARAMS)
st.title(t("loops.title"))
charts_area = st.container() if presenting() else None  # presenting: the charts first, on the first screen
st.markdown(t("loops.intro"))

program = program_state.current_program()
left, right = st.columns([1, 2])
left.caption(t("loops.program"))
left.code(program.text, language="python", wrap_lines=True)
left.page_link(page_for("steps"), label=t("common.edit_program"), icon=":material/edit:")
with controls_area():
    views.controls(MAX_SWEEP_N.get(settings.device, MAX_SWEEP_N["cpu"]))
st.caption(t("loops.settings_used", device=settings.device, dtype=settings.dtype, threads=settings.threads))

sizes = tuple(url_state.get("sizes"))
request = LoopsRequest(program.text, program_state.input_spec(), sizes, settings, url_state.get("budget"))
try:
    checked = jobs.value(check_loops, request, settings=settings)
except ProgramError as exc:
    show_error(exc)
    if exc.code == "not_elementwise":
        st.info(t("loops.elementwise_only"))
    st.stop()
except (InputError, SizeLimitError) as exc:
    show_error(exc)
    st.stop()
with right:
    views.agreement(checked)
if not sizes:
    st.info(t("loops.no_sizes"))
for exc in checked.refused:
    show_error(exc)
if checked.runnable:
    page_settings = {"program": program.text, "sizes": list(checked.runnable), "budget": request.budget_s}
    stream.stream_sweep(request, checked.runnable, settings, page_settings, charts_area)

# where eager's time goes: independent of the sweep's sizes, so it shows even when none is chosen; on demand
views.profile_header()
with controls_area():
    views.profile_controls(profiled=url_state.get("profile") == "1")
profile_request = ProfileRequest(program.text, url_state.get("prof_n"), settings)
if url_state.get("profile") == "1":
    # one profiled call each plus warm-ups: a few seconds at the largest n; PROFILE_BUDGET_S sizes the time limit
    report = measurement_store.measured(
        views.PROFILE_PAGE,
        profile_loops,
        profile_request,
        settings=settings,
        measurements=1,
        budget_s=PROFILE_BUDGET_S,
        job_class="profile",
    )
    views.profile_result(report, {"program": program.text, "prof_n": profile_request.n})
else:
    views.profile_button()
reproduce_section("loops", script(program, checked.runnable, request.budget_s, settings, profile_request.n))
