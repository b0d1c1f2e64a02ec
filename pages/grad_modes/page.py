"""Grad modes: grad tracking vs torch.no_grad() vs torch.inference_mode(), in time and in memory."""

import streamlit as st

from core.grad_modes.cases import GRAD_MODE_CASES
from core.grad_modes.reproduce import script
from core.grad_modes.run import GradModesRequest, GradModesResult, measurement_count, modes_at_size, scaling_of
from core.grad_modes.spec import SPEC
from core.grad_modes.table import mode_rows
from dashboard import measurement_store, program_state
from dashboard.case_views import case_functions, case_list
from dashboard.exports import reproduce_section, table_downloads
from dashboard.frame import BAD_INPUT, Page, PageFrame, render
from dashboard.i18n import t, tp
from dashboard.navigation import page_for
from dashboard.presenter import controls_area, presenting
from dashboard.widgets import show_error
from pages.grad_modes import state, views


def body(page: Page) -> None:
    """The controls, the modes at the chosen size (headline, table, memory), how they scale, then the cases."""
    settings, program, workload = page.settings, page.program, page.state.workload
    with controls_area():
        views.controls()
    if workload == "program" and not presenting():
        with st.expander(tp("grad_modes.program_shown", inputs=", ".join(program.inputs))):
            st.code(program.text, language="python", wrap_lines=True)
            st.page_link(page_for("steps"), label=t("common.edit_program"), icon=":material/edit:")
    st.button(
        t("common.measure_again"),
        key="grad_modes.measure_again",
        on_click=measurement_store.measure_again,
        args=("grad_modes",),
    )
    try:
        comparison(page)
    except BAD_INPUT as exc:  # the cases below still teach
        show_error(exc)
    st.header(t("grad_modes.cases.header"))
    st.markdown(t("grad_modes.cases.intro"))
    demos = program_state.demos(case_functions(GRAD_MODE_CASES), settings)
    case_list(GRAD_MODE_CASES, "grad_modes.case", "fixes", demos.outcomes)


def comparison(page: Page) -> None:
    """The modes at the chosen size first (the page's first result), then how they scale (its charts)."""
    settings, program, workload = page.settings, page.program, page.state.workload
    shape = {name: getattr(page.state, name) for name in state.active_params(page.state) if name != "workload"}
    request = GradModesRequest(
        workload=workload, settings=settings, program=program.text if workload == "program" else None, **shape
    )
    shown = []
    at_size = measurement_store.measured(
        "grad_modes",
        modes_at_size,
        request,
        settings=settings,
        measurements=measurement_count(with_scaling=False),
        budget_s=request.budget_s,
        shown=shown,
    )
    measurement_store.show_measured(*shown)
    charts_area = views.comparison(at_size, workload, page.first_screen, noisy=shown[0].noisy)
    scaling_points = measurement_store.measured(
        "grad_modes",
        scaling_of,
        request,
        settings=settings,
        measurements=measurement_count() - measurement_count(with_scaling=False),
        budget_s=request.budget_s,
    )
    run = GradModesResult(results=at_size.results, scaling=scaling_points)
    views.comparison_charts(run, workload, charts_area)
    program_setting = {"program": program.text} if workload == "program" else {}
    table_downloads("grad-modes", "modes", mode_rows(run.results), {**program_setting, "workload": workload, **shape})
    sizes = {name: shape.get(name, 0) for name in ("size", "width", "depth", "batch")}
    workload_program = program if workload == "program" else None
    reproduce_section("grad-modes", script(workload_program, settings, budget_s=request.budget_s, **sizes))


render(PageFrame(name="grad_modes", spec=SPEC, inactive=state.inactive), body)
