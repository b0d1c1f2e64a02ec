"""A list of mistakes run live: each one's code and PyTorch's own result, and its fix one click away.

Shared by every page that shows cases from core (broken and fixed functions run by core.cases). The shown
code is the source of the function that runs. Which fixes are open is a URL parameter of the page.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.cases import Case, Outcome, shown_source
from dashboard import url_state
from dashboard.i18n import t


def outcome_block(outcome: Outcome) -> None:
    """What a demo printed, warned and raised, PyTorch's words verbatim."""
    if outcome.printed:
        st.code(outcome.printed, language="text", wrap_lines=True)
    if outcome.returned is not None:
        st.caption(t("case.returned"))
        st.code(outcome.returned, language="text", wrap_lines=True)
    for warning in outcome.warnings:
        st.code(f"UserWarning: {warning}", language="text", wrap_lines=True)
    if outcome.failed:
        st.code(f"{outcome.error_type}: {outcome.error}", language="text", wrap_lines=True)


def case_functions(cases: Sequence[Case]) -> tuple:
    """Every case's broken then fixed function, in order: what one demos job runs for `case_list`."""
    return tuple(f for case in cases for f in (case.broken, case.fixed))


def toggle_fix(param: str, key: str, keys: tuple[str, ...]) -> None:
    """Callback: open or close the fix of case `key` in the list parameter `param`."""
    chosen = set(url_state.get(param))
    chosen.symmetric_difference_update({key})
    url_state.put(param, tuple(k for k in keys if k in chosen))


def case_list(cases: Sequence[Case], prefix: str, param: str, outcomes: Sequence[Outcome]) -> None:
    """Each case in an expander: explanation, broken code and outcome, then the fix when it is open.

    Catalog keys: `{prefix}.{case}.title`, `.explain`, `.fix`; buttons `case.apply_fix` and `case.hide_fix`.
    `outcomes` are the demos' results in `case_functions(cases)` order.
    """
    opened = set(url_state.get(param))
    keys = tuple(case.key for case in cases)
    for index, case in enumerate(cases):
        broken, fixed = outcomes[2 * index], outcomes[2 * index + 1]
        is_open = case.key in opened
        with st.expander(t(f"{prefix}.{case.key}.title"), expanded=is_open):
            st.markdown(t(f"{prefix}.{case.key}.explain"))
            st.code(shown_source(case.broken), language="python", wrap_lines=True)
            outcome_block(broken)
            label = t("case.hide_fix") if is_open else t("case.apply_fix")
            st.button(label, key=f"{prefix}.fix.{case.key}", on_click=toggle_fix, args=(param, case.key, keys))
            if is_open:
                st.markdown(t(f"{prefix}.{case.key}.fix"))
                st.code(shown_source(case.fixed), language="python", wrap_lines=True)
                outcome_block(fixed)
