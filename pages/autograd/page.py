"""Autograd: the flags of every tensor, the graph PyTorch records, backward step by step, and its real errors."""

import streamlit as st

from core.autograd.errors import AUTOGRAD_ERRORS
from core.autograd.reproduce import script
from core.autograd.run import AutogradRequest, run_autograd
from core.limits import SizeLimitError
from core.program import ProgramError
from core.tensors import InputError
from dashboard import jobs, program_state, url_state
from dashboard.case_views import case_functions
from dashboard.exports import reproduce_section
from dashboard.i18n import t
from dashboard.navigation import page_for
from dashboard.presenter import controls_area, presenting
from dashboard.settings import current_settings
from dashboard.widgets import choice_radio, show_error, show_url_notices
from pages.autograd import state, views

settings = current_settings()
program_state.load()
state.load()
st.title(t("autograd.title"))
graph_area = st.container() if presenting() else None  # presenting: the recorded graph first, on the first screen
st.markdown(t("autograd.intro"))

program = program_state.current_program()
output = state.output_for(program)
show_url_notices(p.name for p in (*program_state.PROGRAM_PARAMS, *state.AUTOGRAD_PARAMS))
program_state.sync_url()
url_state.sync_url(state.AUTOGRAD_PARAMS)

left, right = st.columns([1, 2])
with left, controls_area():
    st.caption(t("autograd.program"))
    st.code(program.text, language="python", wrap_lines=True)
    st.page_link(page_for("steps"), label=t("common.edit_program"), icon=":material/edit:")
with right:
    views.grad_toggles(program)

requires_grad = frozenset(url_state.get("grad"))
reduction = None if url_state.get("reduce") == "none" else url_state.get("reduce")
request = AutogradRequest(
    program.text,
    program_state.input_spec(),
    settings,
    requires_grad,
    output,
    reduction,
    url_state.get("backward"),
)
try:
    run = jobs.value(run_autograd, request, settings=settings)
except (InputError, SizeLimitError, ProgramError) as exc:
    show_error(exc)
    st.stop()

st.subheader(t("autograd.forward.header"))
views.flags_table(run.flags)
with graph_area or st.container():
    views.graph_chart(run.drawing, bool(requires_grad & set(program.inputs)))

st.subheader(t("autograd.backward.header"))
choices = st.columns(2)
choices[0].selectbox(
    t("autograd.output"), program.targets, key=url_state.widget_key("output"), **url_state.bind("output")
)
choice_radio("reduce", t("autograd.reduce"), state.REDUCE_CHOICES, "autograd.reduce.{}", choices[1], horizontal=True)
if run.output_needs_reduction:
    st.caption(t("autograd.scalar_needed", name=output))
st.button(
    t("autograd.run_backward"),
    key="autograd.run_backward",
    type="primary",
    on_click=state.set_value,
    args=("backward", True),
)
if run.failure is not None:
    views.backward_failure(run.failure, run.fix, program.inputs, run.differentiable)
elif run.backward is not None:
    views.backward_results(run.backward)

values_text = url_state.get("x") if program_state.source() == "typed" else None
chosen = tuple(name for name in program.inputs if name in requires_grad)
reproduce_section(
    "autograd",
    script(program, values_text, url_state.get("n"), settings, chosen, output, reduction, backward=request.backward),
)

st.subheader(t("autograd.errors.header"))
st.markdown(t("autograd.errors.intro"))
views.error_cases(program_state.demos(case_functions(AUTOGRAD_ERRORS), settings))
