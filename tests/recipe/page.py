"""A throwaway page made from the README's recipe: x doubled, by its own core module."""

import streamlit as st
from core.echo.cli import doubled

from dashboard import program_state
from dashboard.i18n import t
from dashboard.settings import current_settings

settings = current_settings()
program_state.load()
st.title(t("echo.title"))
st.code(str(doubled(program_state.current_inputs(program_state.current_program(), settings)["x"])))
