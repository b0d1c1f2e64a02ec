"""Step by step: the learner's program run one statement at a time, next to its traced (declarative) graph."""

import streamlit as st

from core.program import MAX_EXECUTED
from core.steps.reproduce import script
from core.steps.spec import SPEC
from dashboard import program_state
from dashboard.exports import reproduce_section
from dashboard.frame import Page, PageFrame, render
from dashboard.i18n import t
from dashboard.presenter import controls_area
from dashboard.program_widgets import input_and_editor
from pages.steps import controls, state, views
from pages.steps.cache import steps_view


def body(page: Page) -> None:
    """The editor, the transport, the code view, then the eager run beside its declarative counterparts.

    In front of a room the controls come first and large (the first screen), with the value the last Step
    computed, the editor folded; they are drawn once the run says how many steps it has (loops make that depend
    on the data). Widgets commit in callbacks, before this run: the program and step read here are those shown.
    """
    settings, program = page.settings, page.program
    executed = min(page.state.step, MAX_EXECUTED)
    with controls_area():
        input_and_editor(after_program_edit=state.run_whole_program)
    inputs = program_state.input_spec()
    view = steps_view(program.text, inputs, settings, executed)
    executed = min(executed, view.total)
    with page.first_screen or st.container():
        controls.transport(executed, view.total)
    trace = view.trace
    if page.first_screen is not None:
        views.just_computed(page.first_screen, trace.steps)
    st.code(views.code_view(program, view), language="text", wrap_lines=True)
    if trace.error is not None:
        views.show_program_error(trace.error)
    eager, declarative = st.tabs([t("steps.tab.eager"), t("steps.tab.declarative")])
    with eager:
        views.input_cards(view.inputs)
        for step, summary in zip(trace.steps, view.summaries, strict=True):
            views.tensor_card(step, summary)
        if trace.steps:
            views.value_chart(view)
            views.printed_output(trace.steps[-1])
    with declarative:
        views.fx_contrast(view)
        st.divider()
        views.control_flow(view)
        st.divider()
        views.define_by_run_section(program, inputs, settings)
    attempted = executed + (trace.error is not None)  # the script runs the statement PyTorch refused, too
    reproduce_section("steps", script(program, inputs.values, program_state.current().n, settings, attempted))


render(PageFrame(name="steps", spec=SPEC, defaults=state.SESSION_DEFAULTS), body)
