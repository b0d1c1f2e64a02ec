"""The global settings every page reads: bound to the URL from their spec (core/shared_spec.py), the current ones."""

from __future__ import annotations

import streamlit as st

from core.settings import Settings
from core.shared_spec import SETTINGS, SettingsState
from dashboard import url_state
from dashboard.i18n import language_from_locale

GLOBAL_PARAMS = SETTINGS.params
COMPUTE_PARAMS = ("device", "dtype", "seed", "threads")
# the language a visitor's browser asks for; every other default is the spec's
SESSION_DEFAULTS = {"lang": lambda: language_from_locale(st.context.locale)}


def load() -> None:
    url_state.load(GLOBAL_PARAMS, SESSION_DEFAULTS)


def current() -> SettingsState:
    load()
    return url_state.current(SETTINGS)


def current_settings() -> Settings:
    """The Settings of this run, read from the canonical session values (language and presenter mode aside)."""
    state = current()
    return Settings(**{name: getattr(state, name) for name in COMPUTE_PARAMS})
