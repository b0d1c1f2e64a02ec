"""Step by step: the learner's program run one statement at a time, next to its traced (declarative) graph."""

import streamlit as st

from core.limits import SizeLimitError
from core.reproduce import steps_script
from core.tensors import InputError
from dashboard import program_state, step_controls, step_views, steps_state, url_state
from dashboard.exports import reproduce_section, run_settings
from dashboard.presenter import controls_area, presenting
from dashboard.program_widgets import input_and_editor
from dashboard.sidebar import current_settings, t
from dashboard.steps_model import steps_view
from dashboard.widgets import show_error, show_url_notices

settings = current_settings()
program_state.load()
url_state.load(steps_state.STEP_PARAMS)
show_url_notices(p.name for p in (*program_state.PROGRAM_PARAMS, *steps_state.STEP_PARAMS))
st.title(t("steps.title"))
# widgets commit in callbacks, before this run: the program and step read here are the ones shown below
program = program_state.current_program()
executed = min(url_state.get("step"), len(program.statements))
if presenting():  # the demo's controls first and large; the editor folded away
    step_controls.transport(executed, len(program.statements))
st.markdown(t("steps.intro"))
with controls_area():
    input_and_editor(after_program_edit=steps_state.run_whole_program)
program_state.sync_url()
url_state.sync_url(steps_state.STEP_PARAMS)
input_key = program_state.input_key(settings)
try:
    view = steps_view(program.text, input_key, executed)
except (InputError, SizeLimitError) as exc:
    show_error(exc)
    st.stop()

if not presenting():
    step_controls.transport(executed, len(program.statements))

trace = view.trace
st.code(step_views.code_view(program, len(trace.steps)), language="text")
if trace.error is not None:
    step_views.show_program_error(trace.error)

eager, declarative = st.tabs([t("steps.tab.eager"), t("steps.tab.declarative")])
with eager:
    step_views.input_cards(view.inputs)
    for step, summary in zip(trace.steps, view.summaries, strict=True):
        step_views.tensor_card(step, summary)
    if trace.steps:
        step_views.value_chart(view)
        step_views.printed_output(trace.steps[-1])
with declarative:
    step_views.fx_contrast(view)
    st.divider()
    step_views.control_flow(view)
    st.divider()
    step_views.define_by_run_section(input_key)

values = url_state.get("x") if program_state.source() == "typed" else None
script = steps_script(program, values, url_state.get("n"), run_settings(settings), executed)
reproduce_section("steps", script)
