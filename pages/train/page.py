"""Training, eagerly: a small model learns in a worker while the page polls; the loop's phases, the graph rebuilt
every iteration, and the training pitfalls, run for real."""

import streamlit as st

from core.settings import Settings
from core.train.divergence import divergence
from core.train.loop import MAX_STEPS, TrainConfig
from core.train.phases import PHASES
from core.train.reproduce import script
from core.train.run import ITEM_BUDGET_S, item_cost, pitfall, walk
from core.train.spec import SPEC, config_of
from dashboard import jobs, measurement_store, url_state
from dashboard.exports import reproduce_section
from dashboard.frame import Page, PageFrame, render
from dashboard.i18n import t
from dashboard.presenter import controls_area
from pages.train import cache, views
from pages.train import state as train_state

# Each tick trains about CHUNK_S in a worker, then redraws: a tick every 0.15 s outran the browser on 2 busy cores
# (its main thread fully taken by the charts, seconds behind the server), and Pause waited behind that backlog.
PLAY_INTERVAL_S = 0.6


def body(page: Page) -> None:
    """The controls and transport, the live charts, the loop phase by phase, the pitfalls, the script."""
    settings, steps = page.settings, page.state.steps
    presenting = page.first_screen is not None
    if not presenting:
        settings_controls()
    with page.first_screen or st.container():  # in front of a room: the run and its boundary before the intro
        config = config_of(page.state, settings)
        views.transport(config, steps)
        run = cache.current_run(config, steps, settings)
        diverged = divergence(run, config)
        if diverged is not None:
            views.divergence_notice(diverged, config)
        live(config, settings)
    if presenting:  # folded, under the run they shape: on the first screen they pushed the boundary below the fold
        settings_controls()
    st.header(t("train.loop.header"))
    st.markdown(t("train.loop.intro"))
    phase = page.state.phase
    st.code(views.loop_code(phase), language="python", wrap_lines=True)
    if phase and not train_state.playing():
        views.phase_table(jobs.value(walk, config, run.state, settings=settings), phase)
    else:
        st.caption(t("train.phase.hint", count=len(PHASES)))
    pitfalls_section(page.state.pitfall, config, run, settings)
    reproduce_section("train", script(config, settings, steps))


def settings_controls() -> None:
    """Data, model and optimizer settings: in plain view, or folded while presenting."""
    with controls_area():
        views.controls()


@st.fragment(run_every=PLAY_INTERVAL_S)
def _playing(config: TrainConfig, settings: Settings) -> None:
    """While playing, each tick trains one more chunk in a worker and draws it; only a chunk drawn whole is kept
    and written to the URL, so a Pause that interrupts a tick stops at the step on screen."""
    if not train_state.playing():  # Pause's callback ran at this tick's start: train nothing more, draw it paused
        st.rerun(scope="app")
    run = cache.next_chunk(config, settings)
    views.live_charts(run, config)
    cache.keep(config, run)
    url_state.put("steps", run.end)
    url_state.put("phase", 0)
    train_state.sync_url()
    if run.end >= MAX_STEPS or run.diverged is not None:  # a diverged run stays NaN: playing on shows nothing
        train_state.set_playing(False)
        st.rerun(scope="app")


@st.fragment
def _paused(config: TrainConfig, settings: Settings) -> None:
    views.live_charts(cache.current_run(config, train_state.current().steps, settings), config)


def live(config: TrainConfig, settings: Settings) -> None:
    """The charts: a fragment that trains and redraws on its own while playing, drawn once while paused."""
    (_playing if train_state.playing() else _paused)(config, settings)


def pitfalls_section(chosen: str, config: TrainConfig, run, settings: Settings) -> None:
    """The chosen training pitfall, run for real (`item` is measured, the others compared with the fix)."""
    st.header(t("train.pitfalls.header"))
    views.pitfall_choice()
    if chosen == "item":
        st.button(
            t("common.measure_again"),
            key="train.measure_again",
            on_click=measurement_store.measure_again,
            args=("train",),
        )
        measured = measurement_store.measured(
            "train", item_cost, config, settings=settings, measurements=2, budget_s=ITEM_BUDGET_S
        )
        views.item_view(measured)
        return
    result = jobs.value(pitfall, config, chosen, run.state, settings=settings)
    if chosen == "no_grad":
        views.no_grad_view(result)
    else:
        {"zero_grad": views.zero_grad_view, "dropout": views.dropout_view}[chosen](result, config)


render(PageFrame(name="train", spec=SPEC, inactive=train_state.inactive), body)
