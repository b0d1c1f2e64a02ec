"""Loops vs vectorized: the lesson's loop, a loop over floats and one vectorized call, measured across sizes."""

import streamlit as st

from core.limits import SizeLimitError
from core.loops import build_implementations, check_agreement
from core.program import ProgramError
from core.reproduce import loops_script
from core.sweep import MAX_SWEEP_N, copies_per_size, input_maker, plan_sizes, run_sweep
from core.sweep_table import sweep_rows
from core.tensors import InputError
from dashboard import loops_state, loops_views, measurement_store, program_state, url_state
from dashboard.exports import reproduce_section, run_settings
from dashboard.measuring import engine
from dashboard.navigation import page_for
from dashboard.presenter import controls_area
from dashboard.sidebar import current_settings, t
from dashboard.widgets import measured_when, show_error, show_url_notices

settings = current_settings()
program_state.load()
loops_state.load()
show_url_notices(p.name for p in (*program_state.PROGRAM_PARAMS, *loops_state.LOOPS_PARAMS))
program_state.sync_url()
url_state.sync_url(loops_state.LOOPS_PARAMS)
st.title(t("loops.title"))
st.markdown(t("loops.intro"))

program = program_state.current_program()
left, right = st.columns([1, 2])
left.caption(t("loops.program"))
left.code(program.text, language="python")
left.page_link(page_for("steps.py", settings.lang), label=t("autograd.edit_program"), icon=":material/edit:")
try:
    implementations = build_implementations(program)
    sample = {name: v.reshape(-1)[:1000] for name, v in program_state.current_inputs(program, settings).items()}
    agreement = check_agreement(implementations, sample)
except ProgramError as exc:
    show_error(exc)
    if exc.code == "not_elementwise":
        st.info(t("loops.elementwise_only"))
    st.stop()
except (InputError, SizeLimitError) as exc:
    show_error(exc)
    st.stop()
with right:
    loops_views.agreement(agreement, implementations.output)

with controls_area():
    controls = st.columns([3, 1, 1])
    max_n = MAX_SWEEP_N.get(settings.device, MAX_SWEEP_N["cpu"])
    options = sorted({n for n in loops_state.SIZE_GRID if n <= max_n} | set(url_state.get("sizes")))
    controls[0].multiselect(
        t("loops.sizes"),
        options,
        format_func=lambda n: f"{n:,}",
        max_selections=loops_state.MAX_SIZES,
        key=url_state.widget_key("sizes"),
        **url_state.bind("sizes"),
    )
    controls[1].number_input(
        t("loops.budget"),
        min_value=loops_state.MIN_BUDGET_S,
        max_value=loops_state.MAX_BUDGET_S,
        step=0.05,
        help=t("loops.budget_help"),
        key=url_state.widget_key("budget"),
        **url_state.bind("budget"),
    )
    controls[2].button(
        t("loops.measure_again"),
        key="loops.measure_again",
        on_click=measurement_store.measure_again,
        args=("loops",),
        width="stretch",
    )
st.caption(t("loops.settings_used", device=settings.device, dtype=settings.dtype, threads=settings.threads))

sizes = url_state.get("sizes")
if not sizes:
    st.info(t("loops.no_sizes"))
    st.stop()
runnable, refused = plan_sizes(sizes, settings.torch_dtype, settings.device, copies_per_size(program))
for exc in refused:
    show_error(exc)


key = (
    program.text,
    runnable,
    url_state.get("budget"),
    settings.device,
    settings.dtype,
    settings.seed,
    settings.threads,
)


def sweep():
    bar = st.progress(0.0, text=t("loops.measuring"))
    result = run_sweep(
        program,
        runnable,
        input_maker(program, settings.dtype, settings.device, settings.seed),
        device=settings.device,
        threads=settings.threads,
        budget_s=url_state.get("budget"),
        measure_fn=engine(settings.device),
        progress=lambda done, label: bar.progress(done, text=t("loops.measuring_what", what=label)),
    )
    bar.empty()
    return result


if not runnable:
    st.stop()
result, measured_at = measurement_store.kept_or_measure("loops", key, sweep)
measured_when(measured_at)
loops_views.refusals(result)
if result.points:
    loops_views.headline(result)
    loops_views.charts(result)
    page_settings = {"program": program.text, "sizes": list(runnable), "budget": url_state.get("budget")}
    loops_views.table_and_download(sweep_rows(result), result, page_settings)
reproduce_section("loops", loops_script(program, runnable, url_state.get("budget"), run_settings(settings)))
