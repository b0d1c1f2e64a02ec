"""The autograd page's URL parameters: which inputs require grad, the output, its reduction, backward, fixes."""

from __future__ import annotations

import streamlit as st

from core.autograd.backward import REDUCTIONS
from core.autograd.errors import AUTOGRAD_ERRORS
from core.program import INPUT_NAMES, Program
from dashboard import url_state
from dashboard.settings import flag_text, names_text, parse_choice, parse_flag, parse_names
from dashboard.url_state import BadValue, UrlParam

CASE_KEYS = tuple(case.key for case in AUTOGRAD_ERRORS)
REDUCE_CHOICES = (*REDUCTIONS, "none")


def _parse_output(raw: str) -> str:
    if not raw.isidentifier() or len(raw) > 40:
        raise BadValue()
    return raw


AUTOGRAD_PARAMS = (
    UrlParam("grad", lambda raw: parse_names(raw, INPUT_NAMES), lambda: ("x",), names_text),
    UrlParam("output", _parse_output, lambda: ""),
    UrlParam("reduce", lambda raw: parse_choice(raw, REDUCE_CHOICES), lambda: "sum"),
    UrlParam("backward", parse_flag, lambda: False, flag_text),
    UrlParam("fixed", lambda raw: parse_names(raw, CASE_KEYS), lambda: (), names_text),
)


def load() -> None:
    url_state.load(AUTOGRAD_PARAMS)


def output_for(program: Program) -> str:
    """The chosen output if the program assigns it, else its last target (with a notice for a link's bad value)."""
    chosen = url_state.get("output")
    if chosen in program.targets:
        return chosen
    fallback = program.output
    if chosen:
        url_state.reject("output", chosen, fallback)
    url_state.put_silently("output", fallback)
    return fallback


def toggle_grad(name: str) -> None:
    """Callback of one requires_grad toggle: add or remove `name` from the set that requires grad."""
    chosen = set(url_state.get("grad"))
    chosen.symmetric_difference_update({name})
    url_state.put("grad", tuple(n for n in INPUT_NAMES if n in chosen))


def enable_grad(name: str) -> None:
    url_state.put("grad", tuple(n for n in INPUT_NAMES if n in {*url_state.get("grad"), name}))


def set_value(name: str, value: object) -> None:
    url_state.put(name, value)


def grad_toggle_key(name: str) -> str:
    return f"autograd.requires_grad.{name}"


def sync_toggles(program: Program) -> None:
    """Seed each input's toggle from the canonical set (toggles are not bound one-to-one to a parameter)."""
    for name in program.inputs:
        st.session_state[grad_toggle_key(name)] = name in url_state.get("grad")
