"""The step-by-step page's state (core/steps/spec.py), the callbacks of its controls, and playback."""

from __future__ import annotations

import time

import streamlit as st

from core.program import MAX_EXECUTED
from core.steps.spec import SPEC, StepsState
from dashboard import url_state
from dashboard.presenter import presenting


def _default_step() -> int:
    """All run, except in front of a room: a presenter's first press of Step shows line 1 (a link's `step` wins)."""
    return 0 if presenting() else MAX_EXECUTED


SESSION_DEFAULTS = {"step": _default_step}


def current() -> StepsState:
    return url_state.current(SPEC)


def set_step(value: int) -> None:
    url_state.put("step", value)


def run_whole_program() -> None:
    """After a valid edit, show the whole new program run."""
    url_state.put("step", MAX_EXECUTED)


PLAYING = "steps.playing"
LAST_ADVANCE = "steps.last_advance"
PLAY_INTERVAL_S = 1.5


def start_playing(executed: int, total: int) -> None:
    """Play from the next statement (from the start when everything already ran), one every PLAY_INTERVAL_S."""
    st.session_state[PLAYING] = True
    st.session_state[LAST_ADVANCE] = time.monotonic()
    url_state.put("step", 0 if executed >= total else executed)


def stop_playing() -> None:
    st.session_state[PLAYING] = False


def playing() -> bool:
    return st.session_state.get(PLAYING, False)


def advance_if_due(total: int) -> bool:
    """One more statement when PLAY_INTERVAL_S has passed since the last; stops at the end. True if it advanced.

    A full rerun right after an advance finds the interval not yet over, so playback never skips ahead.
    """
    step = current().step
    if step >= total:
        stop_playing()
        return False
    if time.monotonic() - st.session_state.get(LAST_ADVANCE, 0.0) < PLAY_INTERVAL_S:
        return False
    st.session_state[LAST_ADVANCE] = time.monotonic()
    url_state.put("step", step + 1)
    if step + 1 >= total:
        stop_playing()
    return True
