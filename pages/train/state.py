"""The training page's state (core/train/spec.py) and its transport: play, pause, one step, one epoch, one phase,
reset."""

from __future__ import annotations

import streamlit as st

from core.settings import Settings
from core.train.loop import MAX_STEPS, TrainConfig, steps_per_epoch
from core.train.phases import PHASES
from core.train.spec import SPEC, TrainState, config_of
from dashboard import url_state

PLAYING = "train.playing"


def current() -> TrainState:
    return url_state.current(SPEC)


def inactive(state: TrainState) -> list[str]:
    """The forward program is in the URL only while the model is the program."""
    return [] if state.model == "program" else ["forward"]


def sync_url() -> None:
    """The step a playing fragment reached, into the URL (the frame syncs the rest after each full run)."""
    url_state.sync_url(SPEC.params, inactive=inactive(current()))


def config(settings: Settings) -> TrainConfig:
    """The run the URL describes."""
    return config_of(current(), settings)


def playing() -> bool:
    return bool(st.session_state.get(PLAYING))


def set_playing(value: bool) -> None:
    st.session_state[PLAYING] = value


def pause(kept_end: int | None) -> None:
    """Stop playing at the step last drawn (the kept run's end), in the state and the URL alike."""
    set_playing(False)
    if kept_end is not None:
        go_to(kept_end)
        sync_url()


def go_to(steps: int, phase: int = 0) -> None:
    url_state.put("steps", max(0, min(steps, MAX_STEPS)))
    url_state.put("phase", phase)


def one_step() -> None:
    set_playing(False)
    go_to(current().steps + 1)


def one_epoch(run_config: TrainConfig) -> None:
    """To the end of the current epoch (the next multiple of the epoch's length)."""
    set_playing(False)
    epoch = steps_per_epoch(run_config)
    go_to((current().steps // epoch + 1) * epoch)


def next_phase() -> None:
    """One more phase of the next iteration; after its last phase, the iteration counts and the next one begins."""
    set_playing(False)
    phase = current().phase
    if phase < len(PHASES):
        url_state.put("phase", phase + 1)
    else:
        go_to(current().steps + 1, 1)


def reset() -> None:
    set_playing(False)
    go_to(0)


def restart_with_lr(lr: float) -> None:
    """The way back from a diverged run: the same settings with learning rate `lr`, from step 0."""
    set_playing(False)
    url_state.put("lr", lr)
    go_to(0)
