"""Step by step: the learner's program run one statement at a time, next to its traced (declarative) graph."""

import streamlit as st

from core.limits import SizeLimitError
from core.program import MAX_EXECUTED
from core.steps.reproduce import script
from core.tensors import InputError
from dashboard import program_state, url_state
from dashboard.exports import reproduce_section
from dashboard.i18n import t
from dashboard.presenter import controls_area, presenting
from dashboard.program_widgets import input_and_editor
from dashboard.settings import current_settings
from dashboard.widgets import show_error, show_url_notices
from pages.steps import controls, state, views
from pages.steps.model import steps_view

settings = current_settings()
program_state.load()
url_state.load(state.STEP_PARAMS)
show_url_notices(p.name for p in (*program_state.PROGRAM_PARAMS, *state.STEP_PARAMS))
st.title(t("steps.title"))
# widgets commit in callbacks, before this run: the program and step read here are the ones shown below
program = program_state.current_program()
executed = min(url_state.get("step"), MAX_EXECUTED)
# in front of a room the demo's controls come first and large, the value the last Step computed under them, the
# editor folded; they are drawn once the run says how many steps it has (loops make that depend on the data)
top = st.container() if presenting() else None
st.markdown(t("steps.intro"))
with controls_area():
    input_and_editor(after_program_edit=state.run_whole_program)
program_state.sync_url()
url_state.sync_url(state.STEP_PARAMS)
spec = program_state.input_spec()
try:
    view = steps_view(program.text, spec, settings, executed)
except (InputError, SizeLimitError) as exc:
    show_error(exc)
    st.stop()

executed = min(executed, view.total)
with top if top is not None else st.container():
    controls.transport(executed, view.total)
trace = view.trace
if top is not None:
    views.just_computed(top, trace.steps)
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
    views.define_by_run_section(program, spec, settings)

values = url_state.get("x") if program_state.source() == "typed" else None
attempted = executed + (trace.error is not None)  # the script runs the statement PyTorch refused, too
reproduce_section("steps", script(program, values, url_state.get("n"), settings, attempted))
