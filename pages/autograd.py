"""Autograd: the flags of every tensor, the graph PyTorch records, backward step by step, and its real errors."""

import streamlit as st

from core.backward import (
    analytic_default_gradient,
    diagnose,
    differentiable_outputs,
    needs_reduction,
    run_backward,
    run_forward,
)
from core.limits import SizeLimitError
from core.program import ProgramError
from core.reproduce import autograd_script
from core.tensors import InputError
from dashboard import autograd_state, autograd_views, program_state, url_state
from dashboard.exports import reproduce_section, run_settings
from dashboard.navigation import page_for
from dashboard.presenter import controls_area
from dashboard.sidebar import current_settings, t
from dashboard.widgets import choice_radio, show_error, show_url_notices

settings = current_settings()
program_state.load()
autograd_state.load()
st.title(t("autograd.title"))
st.markdown(t("autograd.intro"))

program = program_state.current_program()
output = autograd_state.output_for(program)
show_url_notices(p.name for p in (*program_state.PROGRAM_PARAMS, *autograd_state.AUTOGRAD_PARAMS))
program_state.sync_url()
url_state.sync_url(autograd_state.AUTOGRAD_PARAMS)
try:
    values = program_state.current_inputs(program, settings)
except (InputError, SizeLimitError) as exc:
    show_error(exc)
    st.stop()

left, right = st.columns([1, 2])
with left, controls_area():
    st.caption(t("autograd.program"))
    st.code(program.text, language="python")
    st.page_link(page_for("steps.py", settings.lang), label=t("autograd.edit_program"), icon=":material/edit:")
with right:
    st.markdown(t("autograd.toggles"))
    autograd_state.sync_toggles(program)
    columns = st.columns(max(1, len(program.inputs)))
    for column, name in zip(columns, program.inputs, strict=False):
        column.toggle(
            f"{name}.requires_grad",
            key=autograd_state.grad_toggle_key(name),
            on_change=autograd_state.toggle_grad,
            args=(name,),
        )

requires_grad = set(url_state.get("grad"))
try:
    forward = run_forward(program, values, requires_grad, output)
except ProgramError as exc:
    show_error(exc)
    st.stop()

result = failure = None
reduction = None if url_state.get("reduce") == "none" else url_state.get("reduce")
if url_state.get("backward"):
    try:
        result = run_backward(program, values, requires_grad, output, reduction)
    except RuntimeError as exc:  # PyTorch's refusal is the lesson: shown verbatim below, with its fix
        failure = exc

st.subheader(t("autograd.forward.header"))
autograd_views.flags_table((result.forward if result else forward).flags())
autograd_views.graph_chart(forward.graph, bool(requires_grad & set(program.inputs)))

st.subheader(t("autograd.backward.header"))
choices = st.columns(2)
choices[0].selectbox(
    t("autograd.output"), program.targets, key=url_state.widget_key("output"), **url_state.bind("output")
)
choice_radio(
    "reduce", t("autograd.reduce"), autograd_state.REDUCE_CHOICES, "autograd.reduce.{}", choices[1], horizontal=True
)
if needs_reduction(forward.trace.env[output]):
    st.caption(t("autograd.scalar_needed", name=output))
st.button(
    t("autograd.run_backward"),
    key="autograd.run_backward",
    type="primary",
    on_click=autograd_state.set_value,
    args=("backward", True),
)
if failure is not None:
    fix = diagnose(forward, output, reduction, requires_grad)
    autograd_views.backward_failure(failure, fix, program.inputs, differentiable_outputs(forward))
elif result is not None:
    analytic = analytic_default_gradient(program, output, values["x"], result.reduction)
    autograd_views.backward_results(result, analytic if "x" in requires_grad else None)

values_text = url_state.get("x") if program_state.source() == "typed" else None
chosen = tuple(name for name in program.inputs if name in requires_grad)
script = autograd_script(
    program,
    values_text,
    url_state.get("n"),
    run_settings(settings),
    chosen,
    output,
    reduction,
    backward=url_state.get("backward"),
)
reproduce_section("autograd", script)

st.subheader(t("autograd.errors.header"))
st.markdown(t("autograd.errors.intro"))
autograd_views.error_cases(values["x"])
