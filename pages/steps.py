"""Step by step: the learner's program run one statement at a time, next to its traced (declarative) graph."""

import streamlit as st

from core.limits import SizeLimitError
from core.program import MAX_STATEMENTS, parse_program, run_program
from core.tensors import MAX_RANDOM_N, InputError, parse_values, random_input, typed_input
from dashboard import step_views, steps_state, url_state
from dashboard.i18n import translate
from dashboard.sidebar import current_settings, t
from dashboard.widgets import show_error, show_url_notices

settings = current_settings()
steps_state.load()
show_url_notices(p.name for p in steps_state.STEPS_PARAMS)
st.title(t("steps.title"))
st.markdown(t("steps.intro"))

inputs, editor = st.columns([1, 2])
with inputs:
    st.radio(
        t("steps.source"),
        ("typed", "random"),
        format_func=lambda v, lang=settings.lang: translate(lang, f"steps.source.{v}"),
        horizontal=True,
        key=steps_state.SOURCE_KEY,
    )
    if steps_state.source() == "typed":
        st.text_input(t("steps.x"), placeholder="1, 2, 3", **url_state.bind("x", parse_values))
        pending = url_state.error("x")
    else:
        st.number_input(t("steps.n"), min_value=1, max_value=MAX_RANDOM_N, step=1, **url_state.bind("n"))
        pending = None
    if pending is not None:
        show_error(pending)
        st.caption(t("steps.kept_last_valid"))
with editor:
    program_widget = url_state.bind("program", parse_program)
    st.text_area(t("steps.program"), height=140, help=t("steps.program.help"), **program_widget)
    if url_state.error("program") is not None:
        show_error(url_state.error("program"))
        st.caption(t("steps.kept_last_valid"))

steps_state.sync_url()
program = parse_program(url_state.get("program"))
try:
    if steps_state.source() == "typed":
        x = typed_input(parse_values(url_state.get("x")), settings.dtype, settings.device)
    else:
        copies = MAX_STATEMENTS + 2
        x = random_input(url_state.get("n"), settings.dtype, settings.device, settings.seed, copies)
except (InputError, SizeLimitError) as exc:
    show_error(exc)
    st.stop()

executed = min(url_state.get("step"), len(program.statements))
controls = st.columns([1, 1, 1, 3])
controls[0].button(
    t("steps.step"),
    key="steps.step",
    on_click=steps_state.set_step,
    args=(executed + 1,),
    disabled=executed >= len(program.statements),
    type="primary",
    use_container_width=True,
)
controls[1].button(
    t("steps.run_all"),
    key="steps.run_all",
    on_click=steps_state.set_step,
    args=(MAX_STATEMENTS,),
    use_container_width=True,
)
controls[2].button(
    t("steps.reset"), key="steps.reset", on_click=steps_state.set_step, args=(0,), use_container_width=True
)
controls[3].caption(t("steps.progress", done=executed, total=len(program.statements)))

trace = run_program(program, {"x": x}, steps=executed)
st.code(step_views.code_view(program, len(trace.steps)), language="text")
step_views.trace_error(trace)

eager, declarative = st.tabs([t("steps.tab.eager"), t("steps.tab.declarative")])
with eager:
    st.markdown(t("steps.input_card"))
    st.code(str(x), language="text")
    for step in trace.steps:
        step_views.tensor_card(step)
    if trace.steps:
        step_views.value_chart(trace, x)
        last = trace.steps[-1]
        st.caption(t("steps.print", name=last.target))
        st.code(last.printed, language="text")
with declarative:
    step_views.fx_contrast(program, trace, x)
    st.divider()
    step_views.control_flow(x)
    st.divider()
    step_views.define_by_run_view(x)
