"""Small UI pieces shared by pages: notices for ignored URL values and translated errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from core.spec import Int, Param
from dashboard import number_format, url_state
from dashboard.i18n import current_lang, translate
from dashboard.messages import error_message, notice_message
from dashboard.presenter import presenting


def limits_of(param: Param) -> dict[str, Any]:
    """A number input's min, max and step, from the parameter's declared limits."""
    kind = param.kind
    step = 1 if isinstance(kind, Int) else None
    return {"min_value": kind.low, "max_value": kind.high, **({"step": step} if step else {})}


def choices_of(param: Param) -> tuple[str, ...]:
    """A selector's options, from the parameter's declared choices."""
    return param.kind.choices


def show_url_notices(names: Iterable[str]) -> None:
    """One warning listing each of `names` whose URL value was ignored, and what is used instead."""
    lang = current_lang()
    lines = [notice_message(lang, *notice) for notice in url_state.notices(names)]
    if lines:
        st.warning("\n\n".join(lines), icon=":material/link_off:")


def choice_radio(name: str, label: str, options, option_key: str, where=st, horizontal: bool = False) -> None:
    """A radio bound to URL parameter `name`; each option shows the catalog text `option_key.format(option)`."""
    lang = current_lang()
    where.radio(
        label,
        options,
        horizontal=horizontal,
        format_func=lambda option: translate(lang, option_key.format(option)),
        key=url_state.widget_key(name),
        **url_state.bind(name),
    )


def show_error(exc: Exception) -> None:
    """A translated error box for bad input; never a traceback."""
    st.error(error_message(current_lang(), exc), icon=":material/error:")


def show_table(
    rows: Sequence[Mapping[str, object]],
    key: str,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    whole: bool = False,
) -> None:
    """A table of rows: Streamlit's data grid, or while presenting a plain HTML table, whose text the presenter
    stylesheet can enlarge (the grid draws on a canvas that no stylesheet reaches). `formats`: a column's own text.
    `whole`: always the HTML table, which wraps, for short tables whose every value and header must be read whole
    (the grid cuts a cell at its column's width: "tensor([28., 36", "is_inferenc")."""
    styled = number_format.table(rows)  # numbers in the learner's language, values kept for sorting
    if formats:
        styled = styled.format(formats, subset=list(formats))  # only those columns: the others keep theirs
    if whole or presenting():
        st.table(styled, hide_index=True)
    else:
        st.dataframe(styled, hide_index=True, key=key)
