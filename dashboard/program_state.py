"""The shared Program every page works on: URL parameters x, n and program, and the input tensors built from them."""

from __future__ import annotations

import streamlit as st
import torch

from core.program import DEFAULT_PROGRAM, MAX_STATEMENTS, Program, ProgramError, parse_program
from core.tensors import MAX_RANDOM_N, InputError, parse_values, program_inputs, random_input, typed_input
from dashboard import url_state
from dashboard.settings import BadValue, Settings, parse_int
from dashboard.url_state import UrlParam

DEFAULT_X = "1, 2, 3"
DEFAULT_N = 1000
SOURCE_KEY = "state.program.source"
# Tensors alive at once for a run: x, w, b and one per statement.
COPIES_PER_RUN = MAX_STATEMENTS + 3


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


PROGRAM_PARAMS = (
    UrlParam("x", _parse_x, lambda: DEFAULT_X),
    UrlParam("n", lambda raw: parse_int(raw, 1, MAX_RANDOM_N), lambda: DEFAULT_N),
    UrlParam("program", _parse_program, lambda: DEFAULT_PROGRAM),
)


def load() -> None:
    """Read x, n and program once per session; a link with `n` and no `x` opens in random mode."""
    if SOURCE_KEY not in st.session_state:
        random_link = "n" in st.query_params and "x" not in st.query_params
        st.session_state[SOURCE_KEY] = "random" if random_link else "typed"
    url_state.load(PROGRAM_PARAMS)


def source() -> str:
    return st.session_state[SOURCE_KEY]


def sync_url() -> None:
    url_state.sync_url(PROGRAM_PARAMS, inactive=("n",) if source() == "typed" else ("x",))


def current_program() -> Program:
    """The last valid program (the canonical value is only ever set to text that passed the checker)."""
    return parse_program(url_state.get("program"))


def current_x(settings: Settings) -> torch.Tensor:
    """x from the typed values or from the seed, on the chosen device and dtype.

    Raises:
        InputError, SizeLimitError: the page shows them translated.
    """
    if source() == "typed":
        return typed_input(parse_values(url_state.get("x")), settings.dtype, settings.device)
    return random_input(url_state.get("n"), settings.dtype, settings.device, settings.seed, COPIES_PER_RUN)


def current_inputs(program: Program, settings: Settings) -> dict[str, torch.Tensor]:
    """x and the extra inputs (w, b) that `program` reads."""
    return program_inputs(program.inputs, current_x(settings), settings.seed)
