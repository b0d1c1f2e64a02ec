"""Loops vs vectorized: the lesson's loop, a loop over floats and one vectorized call, measured across sizes (one job
per size, drawn as they arrive); then, on demand, where eager's time goes: both under torch.profiler at one size."""

import streamlit as st

from core.loops.profile import ProfileRequest
from core.loops.reproduce import script
from core.loops.run import LoopsCheck, LoopsRequest, check_loops, profile_loops
from core.loops.spec import SPEC
from core.loops.sweep import MAX_SWEEP_N
from core.program import ProgramError
from dashboard import jobs, measurement_store, program_state
from dashboard.exports import reproduce_section
from dashboard.frame import Page, PageFrame, render
from dashboard.i18n import t
from dashboard.navigation import page_for
from dashboard.presenter import controls_area
from dashboard.widgets import show_error
from pages.loops import stream, views

PROFILE_BUDGET_S = 5.0  # one profiled call each plus warm-ups: a few seconds at the largest n


def body(page: Page) -> None:
    """The program beside its agreement, the sweep drawn as sizes arrive, then the profile on demand."""
    settings, state, program = page.settings, page.state, page.program
    left, right = st.columns([1, 2])
    left.caption(t("loops.program"))
    left.code(program.text, language="python", wrap_lines=True)
    left.page_link(page_for("steps"), label=t("common.edit_program"), icon=":material/edit:")
    with controls_area():
        views.controls(MAX_SWEEP_N.get(settings.device, MAX_SWEEP_N["cpu"]))
    st.caption(t("loops.settings_used", device=settings.device, dtype=settings.dtype, threads=settings.threads))
    request = LoopsRequest(
        program=program.text,
        inputs=program_state.input_spec(),
        sizes=state.sizes,
        settings=settings,
        budget_s=state.budget,
    )
    checked = _checked(request)
    with right:
        views.agreement(checked)
    if not state.sizes:
        st.info(t("loops.no_sizes"))
    for exc in checked.refused:
        show_error(exc)
    if checked.runnable:
        page_settings = {"program": program.text, "sizes": list(checked.runnable), "budget": request.budget_s}
        stream.stream_sweep(request, checked.runnable, settings, page_settings, page.first_screen)
    profile_section(page)
    reproduce_section("loops", script(program, checked.runnable, request.budget_s, settings, state.prof_n))


def _checked(request: LoopsRequest) -> LoopsCheck:
    """The three implementations' agreement on x; a program that is not elementwise says what loops need."""
    try:
        return jobs.value(check_loops, request, settings=request.settings)
    except ProgramError as exc:
        if exc.code == "not_elementwise":
            show_error(exc)
            st.info(t("loops.elementwise_only"))
            st.stop()
        raise


def profile_section(page: Page) -> None:
    """Where eager's time goes: independent of the sweep's sizes, so it shows even when none is chosen; on demand."""
    state = page.state
    views.profile_header()
    with controls_area():
        views.profile_controls(profiled=state.profile)
    if not state.profile:
        views.profile_button()
        return
    profile_request = ProfileRequest(program=page.program.text, n=state.prof_n, settings=page.settings)
    report = measurement_store.measured(
        views.PROFILE_PAGE,
        profile_loops,
        profile_request,
        settings=page.settings,
        measurements=1,
        budget_s=PROFILE_BUDGET_S,
        job_class="profile",
    )
    views.profile_result(report, {"program": page.program.text, "prof_n": state.prof_n})


render(PageFrame(name="loops", spec=SPEC), body)
