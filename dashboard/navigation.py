"""The registered pages: their files, url paths and titles, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.i18n import translate_plain

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    file: str
    url_path: str  # "" for the default page
    title_key: str
    icon: str


PAGES = (
    PageSpec("home.py", "", "page.home", ":material/bolt:"),
    PageSpec("steps.py", "steps", "page.steps", ":material/format_list_numbered:"),
    PageSpec("autograd.py", "autograd", "page.autograd", ":material/account_tree:"),
    PageSpec("loops.py", "loops", "page.loops", ":material/speed:"),
    PageSpec("grad_modes.py", "grad-modes", "page.grad_modes", ":material/memory:"),
    PageSpec("pitfalls.py", "pitfalls", "page.pitfalls", ":material/warning:"),
)


def build_pages(lang: str) -> list[st.Page]:
    """st.Page objects for every registered page, titled in `lang`; the first one is the default."""
    pages = []
    for spec in PAGES:
        title = translate_plain(lang, spec.title_key)
        if spec.url_path:
            pages.append(st.Page(PAGES_DIR / spec.file, title=title, icon=spec.icon, url_path=spec.url_path))
        else:
            pages.append(st.Page(PAGES_DIR / spec.file, title=title, icon=spec.icon, default=True))
    return pages


def page_for(file: str, lang: str) -> st.Page:
    """The registered page whose script is `file`, for st.page_link."""
    index = next(i for i, spec in enumerate(PAGES) if spec.file == file)
    return build_pages(lang)[index]
