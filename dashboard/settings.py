"""The global settings every page reads: their query-string form, how bad values fall back, and the current ones."""

from __future__ import annotations

import re

import streamlit as st

from core import settings as core_settings
from core.devices import DEVICE_NAMES, available_device_names
from core.settings import MAX_SEED, Settings
from core.tensors import DTYPES
from core.workers import plan_pool
from dashboard import url_state
from dashboard.i18n import LANGUAGES, language_from_locale
from dashboard.url_state import BadValue, UrlParam


def max_threads() -> int:
    """The cores one worker has: more threads than that would time oversubscription, not PyTorch."""
    return len(plan_pool().worker_cores[0])


# torch's own default, within what a worker has (the UI process's torch counts every core of the machine)
DEFAULT_THREADS = min(core_settings.DEFAULT_THREADS, max_threads())


def default_threads() -> int:
    return min(DEFAULT_THREADS, max_threads())


def parse_choice(raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        raise BadValue()
    return value


def parse_lang(raw: str) -> str:
    return parse_choice(raw, LANGUAGES)


def parse_device(raw: str) -> str:
    value = parse_choice(raw, DEVICE_NAMES)
    if value not in available_device_names():
        raise BadValue("device_unavailable")
    return value


def parse_dtype(raw: str) -> str:
    return parse_choice(raw, tuple(DTYPES))


def parse_int(raw: str, low: int, high: int) -> int:
    """A plain decimal integer within [low, high]; signs, spaces and digits only."""
    text = raw.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,20}", text):
        raise BadValue()
    value = int(text)
    if not low <= value <= high:
        raise BadValue("out_of_range")
    return value


def parse_seed(raw: str) -> int:
    return parse_int(raw, 0, MAX_SEED)


def parse_threads(raw: str) -> int:
    """1 up to a worker's cores; more is refused with its own notice (threads_capped), as 0 is out of range."""
    value = parse_int(raw, 1, 10**20)
    if value > max_threads():
        raise BadValue("threads_capped")
    return value


def parse_flag(raw: str) -> bool:
    return parse_choice(raw, ("0", "1")) == "1"


def flag_text(value: bool) -> str:
    return "1" if value else "0"


def parse_names(raw: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated subset of `allowed` ("" is the empty set), returned in `allowed`'s order."""
    names = {part.strip() for part in raw.split(",") if part.strip()}
    if not names <= set(allowed):
        raise BadValue()
    return tuple(name for name in allowed if name in names)


def names_text(names: tuple[str, ...]) -> str:
    return ",".join(names)


GLOBAL_PARAMS = (
    UrlParam("lang", parse_lang, lambda: language_from_locale(st.context.locale)),
    UrlParam("device", parse_device, lambda: "cpu"),
    UrlParam("dtype", parse_dtype, lambda: "float32"),
    UrlParam("seed", parse_seed, lambda: 0),
    UrlParam("threads", parse_threads, default_threads),
    UrlParam("presenter", parse_flag, lambda: False, flag_text),
)
COMPUTE_PARAMS = ("device", "dtype", "seed", "threads")


def current_settings() -> Settings:
    """The Settings of this run, read from the canonical session values (language and presenter mode aside)."""
    url_state.load(GLOBAL_PARAMS)
    return Settings(**{name: url_state.get(name) for name in COMPUTE_PARAMS})
