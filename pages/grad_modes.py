"""Grad modes: grad tracking vs torch.no_grad() vs torch.inference_mode(), in time and in memory."""

import streamlit as st

from core.grad_mode_cases import GRAD_MODE_CASES
from core.grad_modes import (
    MAX_BATCH,
    MAX_DEPTH,
    MAX_PROGRAM_N,
    MAX_WIDTH,
    compare_modes,
    mlp_workload,
    program_workload,
    scaling,
)
from core.limits import SizeLimitError
from core.program import ProgramError
from core.reports import mode_rows
from core.reproduce import grad_modes_script
from core.tensors import InputError
from dashboard import grad_modes_state, grad_modes_views, measurement_store, program_state, url_state
from dashboard.case_views import case_list
from dashboard.exports import reproduce_section, run_settings, table_downloads
from dashboard.measuring import engine
from dashboard.navigation import page_for
from dashboard.presenter import controls_area, presenting
from dashboard.settings import names_text, parse_names
from dashboard.sidebar import current_settings, t
from dashboard.url_state import UrlParam
from dashboard.widgets import choice_radio, measured_when, show_error, show_url_notices

CASE_KEYS = tuple(case.key for case in GRAD_MODE_CASES)
FIXES = UrlParam("fixes", lambda raw: parse_names(raw, CASE_KEYS), lambda: (), names_text)

settings = current_settings()
program_state.load()
grad_modes_state.load()
url_state.load((FIXES,))
params = (*program_state.PROGRAM_PARAMS, *grad_modes_state.GRAD_MODES_PARAMS, FIXES)
show_url_notices(p.name for p in params)
st.title(t("grad_modes.title"))
st.markdown(t("grad_modes.intro"))

lang = settings.lang
program = program_state.current_program()
with controls_area():
    controls = st.columns([2, 1, 1, 1])
    workloads = grad_modes_state.WORKLOADS
    choice_radio(
        "workload", t("grad_modes.workload"), workloads, "grad_modes.workload.{}", controls[0], horizontal=True
    )
    if url_state.get("workload") == "program":
        controls[1].number_input(
            t("grad_modes.size"),
            1,
            MAX_PROGRAM_N,
            step=1000,
            key=url_state.widget_key("size"),
            **url_state.bind("size"),
        )
    else:
        controls[1].number_input(
            t("grad_modes.width"), 1, MAX_WIDTH, step=64, key=url_state.widget_key("width"), **url_state.bind("width")
        )
        controls[2].number_input(
            t("grad_modes.depth"), 1, MAX_DEPTH, step=1, key=url_state.widget_key("depth"), **url_state.bind("depth")
        )
        controls[3].number_input(
            t("grad_modes.batch"), 1, MAX_BATCH, step=64, key=url_state.widget_key("batch"), **url_state.bind("batch")
        )
if url_state.get("workload") == "program" and not presenting():
    with st.expander(t("grad_modes.program_shown")):
        st.code(program.text, language="python")
        st.page_link(page_for("steps.py", lang), label=t("autograd.edit_program"), icon=":material/edit:")
program_state.sync_url()
active = grad_modes_state.active_params()
url_state.sync_url(
    (*grad_modes_state.GRAD_MODES_PARAMS, FIXES),
    inactive=[p.name for p in grad_modes_state.GRAD_MODES_PARAMS if p.name not in active],
)
st.button(
    t("loops.measure_again"),
    key="grad_modes.measure_again",
    on_click=measurement_store.measure_again,
    args=("grad_modes",),
)


def make_workload(size: int):
    """The chosen workload with its driving size (n, or the batch) replaced by `size`."""
    if url_state.get("workload") == "program":
        return program_workload(program, size, settings.dtype, settings.device, settings.seed)
    return mlp_workload(
        url_state.get("width"), url_state.get("depth"), size, settings.dtype, settings.device, settings.seed
    )


driving = "size" if url_state.get("workload") == "program" else "batch"
program_setting = {"program": program.text} if driving == "size" else {}
shape = {"workload": url_state.get("workload"), **{name: url_state.get(name) for name in active if name != "workload"}}
key = (
    program.text if driving == "size" else None,
    *(url_state.get(p) for p in active),
    settings.device,
    settings.dtype,
    settings.seed,
    settings.threads,
)


def measure_modes():
    with st.spinner(t("loops.measuring")):
        measure_args = {
            "device": settings.device,
            "threads": settings.threads,
            "budget_s": grad_modes_state.BUDGET_S,
            "measure_fn": engine(settings.device),
        }
        results = compare_modes(make_workload(url_state.get(driving)), **measure_args)
        points = scaling(make_workload, grad_modes_state.scaling_sizes(url_state.get(driving)), **measure_args)
    return results, points


try:
    kept = measurement_store.kept_or_measure("grad_modes", key, measure_modes)
except (InputError, SizeLimitError, ProgramError) as exc:
    show_error(exc)
    kept = None
if kept is not None:
    (results, points), measured_at = kept
    measured_when(measured_at)
    grad_modes_views.savings(results)
    grad_modes_views.mode_table(results)
    table_downloads("grad-modes", "modes", mode_rows(results), {**program_setting, **shape})
    grad_modes_views.memory_note(results)
    work_label = t("grad_modes.work.program") if driving == "size" else t("grad_modes.work.mlp")
    grad_modes_views.charts(results, points, work_label)

    workload_program = program if driving == "size" else None
    sizes = {name: shape.get(name, 0) for name in ("size", "width", "depth", "batch")}
    script = grad_modes_script(workload_program, run_settings(settings), budget_s=grad_modes_state.BUDGET_S, **sizes)
    reproduce_section("grad-modes", script)

st.subheader(t("grad_modes.cases.header"))
st.markdown(t("grad_modes.cases.intro"))
case_list(GRAD_MODE_CASES, "grad_modes.case", "fixes", program_state.demo_vector(settings))
