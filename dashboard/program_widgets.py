"""Widgets for the shared Program: the input x (typed or random) and the program editor, bound to the URL."""

from __future__ import annotations

import streamlit as st

from core.program import parse_program
from core.tensors import MAX_RANDOM_N, parse_values
from dashboard import program_state, url_state
from dashboard.i18n import t
from dashboard.widgets import choice_radio, show_error


def input_and_editor(after_program_edit=None) -> None:
    """x's source and values on the left, the program editor on the right; refused input keeps the last valid."""
    inputs, editor = st.columns([1, 2])
    with inputs:
        choice_radio("source", t("steps.source"), ("typed", "random"), "steps.source.{}", horizontal=True)
        if program_state.source() == "typed":
            st.text_input(
                t("steps.x"), placeholder="1, 2, 3", key=url_state.widget_key("x"), **url_state.bind("x", parse_values)
            )
            _pending_error("x")
        else:
            st.number_input(
                t("steps.n"),
                min_value=1,
                max_value=MAX_RANDOM_N,
                step=1,
                key=url_state.widget_key("n"),
                **url_state.bind("n"),
            )
    with editor:
        program_widget = url_state.bind("program", parse_program, after=after_program_edit)
        st.text_area(
            t("steps.program"),
            height=140,
            help=t("steps.program.help"),
            key=url_state.widget_key("program"),
            **program_widget,
        )
        _pending_error("program")


def _pending_error(name: str) -> None:
    error = url_state.error(name)
    if error is not None:
        show_error(error)
        st.caption(t("steps.kept_last_valid"))
