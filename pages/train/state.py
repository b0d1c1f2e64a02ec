"""The training page's URL parameters (every setting, the step reached, the phase shown, the pitfall) and its
transport: play, pause, one step, one epoch, one phase, reset."""

from __future__ import annotations

import math
import re

import streamlit as st

from core.program import MAX_TEXT_CHARS
from core.settings import Settings
from core.train import datasets, models
from core.train.loop import MAX_BATCH, MAX_LR, MAX_STEPS, MIN_LR, OPTIMIZERS, TrainConfig, steps_per_epoch
from core.train.phases import PHASES
from core.train.pitfalls import PITFALLS
from dashboard import url_state
from dashboard.settings import parse_choice, parse_int
from dashboard.url_state import BadValue, UrlParam

PLAYING = "train.playing"
DEFAULTS = TrainConfig()


def parse_lr(raw: str) -> float:
    """A plain decimal or scientific number within [MIN_LR, MAX_LR]."""
    text = raw.strip()
    if not re.fullmatch(r"[0-9]{0,6}(\.[0-9]{1,8})?([eE][+-]?[0-9]{1,2})?", text) or not text:
        raise BadValue()
    value = float(text)
    if not (math.isfinite(value) and MIN_LR <= value <= MAX_LR):
        raise BadValue("out_of_range")
    return value


def parse_forward(raw: str) -> str:
    """The forward program's text (checked when the model is built, in the worker); bounded in length here."""
    if len(raw) > MAX_TEXT_CHARS or not raw.strip():
        raise BadValue()
    return raw


def lr_text(value: float) -> str:
    return f"{value:g}"


def _int(name: str, low: int, high: int, default: int) -> UrlParam:
    return UrlParam(name, lambda raw: parse_int(raw, low, high), lambda: default)


def _choice(name: str, choices: tuple[str, ...], default: str) -> UrlParam:
    return UrlParam(name, lambda raw: parse_choice(raw, choices), lambda: default)


TRAIN_PARAMS = (
    _choice("data", datasets.DATASETS, DEFAULTS.dataset),
    _int("points", datasets.MIN_POINTS, datasets.MAX_POINTS, DEFAULTS.points),
    _int("noise", 0, datasets.MAX_NOISE, DEFAULTS.noise),
    _int("test", datasets.MIN_TEST, datasets.MAX_TEST, DEFAULTS.test_percent),
    _choice("model", models.MODELS, DEFAULTS.model),
    _int("units", 1, models.MAX_WIDTH, DEFAULTS.width),
    _int("layers", 1, models.MAX_DEPTH, DEFAULTS.depth),
    _choice("act", tuple(models.ACTIVATIONS), DEFAULTS.activation),
    _choice("opt", OPTIMIZERS, DEFAULTS.optimizer),
    UrlParam("lr", parse_lr, lambda: DEFAULTS.lr, lr_text),
    _int("bs", 1, MAX_BATCH, DEFAULTS.batch),
    UrlParam("forward", parse_forward, lambda: models.DEFAULT_PROGRAM),
    _int("steps", 0, MAX_STEPS, 0),
    _int("phase", 0, len(PHASES), 0),
    _choice("pitfall", PITFALLS, PITFALLS[0]),
)
NAMES = tuple(param.name for param in TRAIN_PARAMS)


def load() -> None:
    url_state.load(TRAIN_PARAMS)


def sync_url() -> None:
    inactive = [] if url_state.get("model") == "program" else ["forward"]
    url_state.sync_url(TRAIN_PARAMS, inactive=inactive)


def config(settings: Settings) -> TrainConfig:
    """The run the URL describes."""
    get = url_state.get
    return TrainConfig(
        get("data"),
        get("points"),
        get("noise"),
        get("test"),
        get("model"),
        get("units"),
        get("layers"),
        get("act"),
        get("opt"),
        get("lr"),
        get("bs"),
        get("forward") if get("model") == "program" else models.DEFAULT_PROGRAM,
        settings.seed,
        settings.device,
        settings.dtype,
    )


def playing() -> bool:
    return bool(st.session_state.get(PLAYING))


def set_playing(value: bool) -> None:
    st.session_state[PLAYING] = value


def go_to(steps: int, phase: int = 0) -> None:
    url_state.put("steps", max(0, min(steps, MAX_STEPS)))
    url_state.put("phase", phase)


def one_step() -> None:
    set_playing(False)
    go_to(url_state.get("steps") + 1)


def one_epoch(run_config: TrainConfig) -> None:
    """To the end of the current epoch (the next multiple of the epoch's length)."""
    set_playing(False)
    epoch = steps_per_epoch(run_config)
    go_to((url_state.get("steps") // epoch + 1) * epoch)


def next_phase() -> None:
    """One more phase of the next iteration; after its last phase, the iteration counts and the next one begins."""
    set_playing(False)
    phase = url_state.get("phase")
    if phase < len(PHASES):
        url_state.put("phase", phase + 1)
    else:
        go_to(url_state.get("steps") + 1, 1)


def reset() -> None:
    set_playing(False)
    go_to(0)


def restart_with_lr(lr: float) -> None:
    """The way back from a diverged run: the same settings with learning rate `lr`, from step 0."""
    set_playing(False)
    url_state.put("lr", lr)
    go_to(0)
