"""The step-by-step page's URL parameters (x, n, program, step) and the callbacks of its controls."""

from __future__ import annotations

import streamlit as st

from core.program import DEFAULT_PROGRAM, MAX_STATEMENTS, ProgramError, parse_program
from core.tensors import MAX_RANDOM_N, InputError, parse_values
from dashboard import url_state
from dashboard.settings import BadValue, parse_int
from dashboard.url_state import UrlParam

DEFAULT_X = "1, 2, 3"
DEFAULT_N = 1000
SOURCE_KEY = "state.steps.source"


def _parse_x(raw: str) -> str:
    try:
        return ", ".join(_format_number(v) for v in parse_values(raw))
    except InputError:
        raise BadValue() from None


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _parse_program(raw: str) -> str:
    try:
        parse_program(raw)
    except ProgramError:
        raise BadValue("invalid_program") from None
    return raw


STEPS_PARAMS = (
    UrlParam("x", _parse_x, lambda: DEFAULT_X),
    UrlParam("n", lambda raw: parse_int(raw, 1, MAX_RANDOM_N), lambda: DEFAULT_N),
    UrlParam("program", _parse_program, lambda: DEFAULT_PROGRAM),
    UrlParam("step", lambda raw: parse_int(raw, 0, MAX_STATEMENTS), lambda: MAX_STATEMENTS),
)


def load() -> None:
    """Read the page's parameters once per session; a link with `n` and no `x` opens in random mode."""
    if SOURCE_KEY not in st.session_state:
        random_link = "n" in st.query_params and "x" not in st.query_params
        st.session_state[SOURCE_KEY] = "random" if random_link else "typed"
    url_state.load(STEPS_PARAMS)


def source() -> str:
    return st.session_state[SOURCE_KEY]


def sync_url() -> None:
    url_state.sync_url(STEPS_PARAMS, inactive=("n",) if source() == "typed" else ("x",))


def set_step(value: int) -> None:
    url_state.put("step", value)


def on_program_change() -> None:
    """After a valid edit, show the whole new program run; a refused edit leaves everything as it was."""
    if url_state.error("program") is None:
        url_state.put("step", MAX_STATEMENTS)
