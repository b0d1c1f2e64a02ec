"""Presenter mode's layout rules: controls folded away so the computation fills a projected screen."""

from __future__ import annotations

import contextlib

import streamlit as st

from dashboard import url_state
from dashboard.i18n import t


def presenting() -> bool:
    """Whether this session presents (the `presenter` URL parameter, loaded by the app before any page runs)."""
    return url_state.get("presenter")


def controls_area() -> contextlib.AbstractContextManager:
    """Where a page's inputs go: in plain view, or folded in a closed expander while presenting."""
    if presenting():
        return st.expander(t("presenter.controls"), expanded=False, icon=":material/tune:")
    return st.container()
