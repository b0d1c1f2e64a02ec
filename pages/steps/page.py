"""Step by step: the learner's program run one statement at a time, next to its traced (declarative) graph."""

import streamlit as st

from core.limits import SizeLimitError
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
executed = min(url_state.get("step"), len(program.statements))
just_computed = None
if presenting():  # the demo's controls first and large, the value the last Step computed under them; the editor folded
    controls.transport(executed, len(program.statements))
    just_computed = st.container()
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

if not presenting():
    controls.transport(executed, len(program.statements))

trace = view.trace
if just_computed is not None:
    views.just_computed(just_computed, trace.steps)
st.code(views.code_view(program, len(trace.steps)), language="text", wrap_lines=True)
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
    views.define_by_run_section(spec, settings)

values = url_state.get("x") if program_state.source() == "typed" else None
reproduce_section("steps", script(program, values, url_state.get("n"), settings, executed))
