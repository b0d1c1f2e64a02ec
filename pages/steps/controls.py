"""The step-by-step page's transport: step, play/pause, run all and reset, and the timer that plays."""

from __future__ import annotations

import streamlit as st

from core.program import MAX_EXECUTED
from dashboard.i18n import t
from pages.steps import state as steps_state


def transport(executed: int, total: int) -> None:
    """The four buttons and the progress; while playing, a timer fragment advances one statement at a time."""
    columns = st.columns([1, 1, 1, 1, 2])
    all_done = executed >= total
    columns[0].button(
        t("steps.step"),
        key="steps.step",
        on_click=steps_state.set_step,
        args=(1 if all_done else executed + 1,),  # never greyed out: once everything ran, Step starts again
        help=t("steps.step_again") if all_done else None,
        type="primary",
        icon=":material/skip_next:",
        width="stretch",
    )
    if steps_state.playing():
        columns[1].button(
            t("steps.pause"),
            key="steps.pause",
            on_click=steps_state.stop_playing,
            icon=":material/pause:",
            width="stretch",
        )
        _player(total)
    else:
        columns[1].button(
            t("steps.play"),
            key="steps.play",
            on_click=steps_state.start_playing,
            args=(executed, total),
            icon=":material/play_arrow:",
            width="stretch",
        )
    columns[2].button(
        t("steps.run_all"), key="steps.run_all", on_click=steps_state.set_step, args=(MAX_EXECUTED,), width="stretch"
    )
    columns[3].button(t("steps.reset"), key="steps.reset", on_click=steps_state.set_step, args=(0,), width="stretch")
    columns[4].caption(t("steps.progress", done=executed, total=total))


@st.fragment(run_every=steps_state.PLAY_INTERVAL_S)
def _player(total: int) -> None:
    """Runs on its own timer while playing: each tick that is due shows one more statement (a whole-page rerun)."""
    if steps_state.advance_if_due(total):
        st.rerun(scope="app")
