"""Autograd: the flags of every tensor, the graph PyTorch records, backward step by step, and its real errors."""

import streamlit as st

from core.autograd.errors import AUTOGRAD_ERRORS
from core.autograd.reproduce import script
from core.autograd.run import AutogradRequest, run_autograd
from core.autograd.spec import REDUCE_CHOICES, SPEC
from dashboard import jobs, program_state, url_state
from dashboard.case_views import case_functions
from dashboard.exports import reproduce_section
from dashboard.frame import Page, PageFrame, render
from dashboard.i18n import t
from dashboard.navigation import page_for
from dashboard.presenter import controls_area
from dashboard.widgets import choice_radio
from pages.autograd import state, views


def body(page: Page) -> None:
    """The program and its toggles, the flags and the recorded graph, backward, the script, autograd's errors."""
    settings, program = page.settings, page.program
    output = state.output_for(program)
    left, right = st.columns([1, 2])
    with left, controls_area():
        st.caption(t("autograd.program"))
        st.code(program.text, language="python", wrap_lines=True)
        st.page_link(page_for("steps"), label=t("common.edit_program"), icon=":material/edit:")
    with right:
        views.grad_toggles(program)
    requires_grad = frozenset(page.state.grad)
    request = AutogradRequest(
        program=program.text,
        inputs=program_state.input_spec(),
        settings=settings,
        requires_grad=requires_grad,
        output=output,
        reduction=None if page.state.reduce == "none" else page.state.reduce,
        backward=page.state.backward,
    )
    run = jobs.value(run_autograd, request, settings=settings)
    st.header(t("autograd.forward.header"))
    views.flags_table(run.flags)
    with page.first_screen or st.container():
        views.graph_chart(run.drawing, bool(requires_grad & set(program.inputs)))
    backward_section(program, output, run)
    chosen = tuple(name for name in program.inputs if name in requires_grad)
    values, n = request.inputs.values, program_state.current().n
    reproduce_section(
        "autograd", script(program, values, n, settings, chosen, output, request.reduction, backward=request.backward)
    )
    st.header(t("autograd.errors.header"))
    st.markdown(t("autograd.errors.intro"))
    views.error_cases(program_state.demos(case_functions(AUTOGRAD_ERRORS), settings))


def backward_section(program, output: str, run) -> None:
    """The output and its reduction, the button that runs backward, then its results or PyTorch's refusal."""
    st.header(t("autograd.backward.header"))
    choices = st.columns(2)
    choices[0].selectbox(
        t("autograd.output"), program.targets, key=url_state.widget_key("output"), **url_state.bind("output")
    )
    choice_radio("reduce", t("autograd.reduce"), REDUCE_CHOICES, "autograd.reduce.{}", choices[1], horizontal=True)
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


render(PageFrame(name="autograd", spec=SPEC), body)
