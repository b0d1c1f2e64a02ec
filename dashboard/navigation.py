"""Streamlit navigation built from the registry: one st.Page per registered page, titled in the learner's language."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import current_lang, translate_plain
from dashboard.registry import PAGES, named


def _page(name: str, lang: str) -> st.Page:
    page = named(name)
    title = translate_plain(lang, page.title_key)
    if page.url_path:
        return st.Page(page.script, title=title, icon=page.icon, url_path=page.url_path)
    return st.Page(page.script, title=title, icon=page.icon, default=True)


def build_pages(lang: str) -> list[st.Page]:
    """st.Page objects for every registered page, titled in `lang`; the first one is the default."""
    return [_page(page.name, lang) for page in PAGES]


def page_for(name: str) -> st.Page:
    """The registered page called `name`, for st.page_link."""
    return _page(name, current_lang())
