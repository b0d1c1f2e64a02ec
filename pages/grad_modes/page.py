"""Grad modes: grad tracking vs torch.no_grad() vs torch.inference_mode(), in time and in memory."""

import streamlit as st

from core.grad_modes.cases import GRAD_MODE_CASES
from core.grad_modes.reproduce import script
from core.grad_modes.run import GradModesRequest, GradModesRun, measurement_count, modes_at_size, scaling_of
from core.grad_modes.table import mode_rows
from core.limits import SizeLimitError
from core.program import ProgramError
from core.tensors import InputError
from dashboard import measurement_store, program_state, url_state
from dashboard.case_views import case_functions, case_list
from dashboard.exports import reproduce_section, table_downloads
from dashboard.i18n import t, tp
from dashboard.navigation import page_for
from dashboard.presenter import controls_area, presenting
from dashboard.settings import current_settings
from dashboard.widgets import show_error, show_url_notices
from pages.grad_modes import state, views

settings = current_settings()
program_state.load()
state.load()
show_url_notices(p.name for p in (*program_state.PROGRAM_PARAMS, *state.GRAD_MODES_PARAMS))
st.title(t("grad_modes.title"))
key_area = st.container() if presenting() else None  # presenting: what no_grad saves and the charts, first
st.markdown(t("grad_modes.intro"))

program = program_state.current_program()
with controls_area():
    views.controls()
workload = url_state.get("workload")
if workload == "program" and not presenting():
    with st.expander(tp("grad_modes.program_shown", inputs=", ".join(program.inputs))):
        st.code(program.text, language="python", wrap_lines=True)
        st.page_link(page_for("steps"), label=t("common.edit_program"), icon=":material/edit:")
program_state.sync_url()
state.sync_url()
st.button(
    t("common.measure_again"),
    key="grad_modes.measure_again",
    on_click=measurement_store.measure_again,
    args=("grad_modes",),
)

shape = {name: url_state.get(name) for name in state.active_params() if name != "workload"}
request = GradModesRequest(workload, settings, program.text if workload == "program" else None, **shape)


try:  # the modes at the chosen size first (the page's first result), then how they scale (its charts)
    at_size = measurement_store.measured(
        "grad_modes",
        modes_at_size,
        request,
        settings=settings,
        measurements=measurement_count(with_scaling=False),
        budget_s=request.budget_s,
    )
except (InputError, SizeLimitError, ProgramError) as exc:
    show_error(exc)
else:
    charts_area = views.comparison(at_size, workload, key_area)
    scaling_points = measurement_store.measured(
        "grad_modes",
        scaling_of,
        request,
        settings=settings,
        measurements=measurement_count() - measurement_count(with_scaling=False),
        budget_s=request.budget_s,
    )
    run = GradModesRun(at_size.results, scaling_points)
    views.comparison_charts(run, workload, charts_area)
    program_setting = {"program": program.text} if workload == "program" else {}
    table_downloads("grad-modes", "modes", mode_rows(run.results), {**program_setting, "workload": workload, **shape})
    sizes = {name: shape.get(name, 0) for name in ("size", "width", "depth", "batch")}
    workload_program = program if workload == "program" else None
    reproduce_section("grad-modes", script(workload_program, settings, budget_s=request.budget_s, **sizes))

st.subheader(t("grad_modes.cases.header"))
st.markdown(t("grad_modes.cases.intro"))
demos = program_state.demos(case_functions(GRAD_MODE_CASES), settings)
case_list(GRAD_MODE_CASES, "grad_modes.case", "fixes", demos.outcomes)
