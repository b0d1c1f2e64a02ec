"""A throwaway page made from the README's recipe: x doubled, by its own core module."""

import streamlit as st
from core.echo.cli import doubled_values

from dashboard import jobs, program_state
from dashboard.i18n import t
from dashboard.settings import current_settings

settings = current_settings()
program_state.load()
st.title(t("echo.title"))
st.code(str(jobs.value(doubled_values, program_state.input_spec(), settings, settings=settings)), wrap_lines=True)
