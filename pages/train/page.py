"""Training, eagerly: a small model learns in a worker while the page polls; the loop's phases, the graph rebuilt
every iteration, and the training pitfalls, run for real."""

import streamlit as st

from core.program import ProgramError
from core.train.divergence import divergence
from core.train.loop import MAX_STEPS, steps_per_epoch
from core.train.phases import PHASES
from core.train.reproduce import script
from core.train.run import ITEM_BUDGET_S, item_cost, pitfall, walk
from dashboard import jobs, measurement_store, url_state
from dashboard.exports import reproduce_section
from dashboard.i18n import t
from dashboard.presenter import controls_area
from dashboard.settings import current_settings
from dashboard.widgets import show_error, show_url_notices
from pages.train import model, views
from pages.train import state as train_state

PLAY_INTERVAL_S = 0.15

settings = current_settings()
train_state.load()
show_url_notices(train_state.NAMES)
st.title(t("train.title"))
st.markdown(t("train.intro"))
with controls_area():
    views.controls()
train_state.sync_url()
config = train_state.config(settings)
steps = url_state.get("steps")
views.transport(config, steps, steps_per_epoch(config))


@st.fragment(run_every=PLAY_INTERVAL_S if train_state.playing() else None)
def live() -> None:
    """The charts; while playing, each tick trains one more chunk in a worker first, then redraws."""
    if train_state.playing():
        run = model.advance(config, settings)
        url_state.put("steps", run.end)
        url_state.put("phase", 0)
        train_state.sync_url()
        if run.end >= MAX_STEPS or run.diverged is not None:  # a diverged run stays NaN: playing on shows nothing
            train_state.set_playing(False)
            st.rerun(scope="app")
    views.live_charts(model.current_run(config, url_state.get("steps"), settings), config)


try:
    run = model.current_run(config, steps, settings)
except ProgramError as exc:
    show_error(exc)
    st.stop()
diverged = divergence(run, config)
if diverged is not None:
    views.divergence_notice(diverged, config)
live()

st.subheader(t("train.loop.header"))
st.markdown(t("train.loop.intro"))
phase = url_state.get("phase")
st.code(views.loop_code(phase), language="python", wrap_lines=True)
if phase and not train_state.playing():
    views.phase_table(jobs.value(walk, config, run.state, settings=settings), phase)
else:
    st.caption(t("train.phase.hint", count=len(PHASES)))

st.subheader(t("train.pitfalls.header"))
views.pitfall_choice()
chosen = url_state.get("pitfall")
if chosen == "item":
    st.button(
        t("common.measure_again"), key="train.measure_again", on_click=measurement_store.measure_again, args=("train",)
    )
    views.item_view(
        measurement_store.measured(
            "train", item_cost, config, settings=settings, measurements=2, budget_s=ITEM_BUDGET_S
        )
    )
else:
    result = jobs.value(pitfall, config, chosen, run.state, settings=settings)
    if chosen == "no_grad":
        views.no_grad_view(result)
    else:
        {"zero_grad": views.zero_grad_view, "dropout": views.dropout_view}[chosen](result, config)

reproduce_section("train", script(config, settings, url_state.get("steps")))
