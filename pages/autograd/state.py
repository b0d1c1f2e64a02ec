"""The autograd page's state (core/autograd/spec.py): the output actually used, and the callbacks of its controls."""

from __future__ import annotations

import streamlit as st

from core.autograd.spec import SPEC, AutogradState
from core.program import INPUT_NAMES, Program
from dashboard import url_state


def current() -> AutogradState:
    return url_state.current(SPEC)


def output_for(program: Program) -> str:
    """The chosen output if the program assigns it, else its last target (with a notice for a link's bad value)."""
    chosen = current().output
    if chosen in program.targets:
        return chosen
    fallback = program.output
    if chosen:
        url_state.reject("output", chosen, fallback, code="not_assigned")
    url_state.put_silently("output", fallback)
    return fallback


def toggle_grad(name: str) -> None:
    """Callback of one requires_grad toggle: add or remove `name` from the set that requires grad."""
    chosen = set(current().grad)
    chosen.symmetric_difference_update({name})
    url_state.put("grad", tuple(n for n in INPUT_NAMES if n in chosen))


def enable_grad(name: str) -> None:
    url_state.put("grad", tuple(n for n in INPUT_NAMES if n in {*current().grad, name}))


def set_value(name: str, value: object) -> None:
    url_state.put(name, value)


def grad_toggle_key(name: str) -> str:
    return f"autograd.requires_grad.{name}"


def sync_toggles(program: Program) -> None:
    """Seed each input's toggle from the canonical set (toggles are not bound one-to-one to a parameter)."""
    for name in program.inputs:
        st.session_state[grad_toggle_key(name)] = name in current().grad
