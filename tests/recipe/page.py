"""A throwaway page made from the recipe (docs/adding-a-page.md): x added up `times` times, by its own core module."""

import streamlit as st
from core.echo.cli import multiplied_values
from core.echo.spec import SPEC

from dashboard import jobs, program_state
from dashboard.frame import Page, PageFrame, render


def body(page: Page) -> None:
    values = jobs.value(
        multiplied_values, program_state.input_spec(), page.state.times, page.settings, settings=page.settings
    )
    st.code(str(values), wrap_lines=True)


render(PageFrame(name="echo", spec=SPEC), body)
