"""Take-home files: measurement tables as CSV and JSON (with provenance), and each page's 'Reproduce this' script,
also as a Jupyter notebook."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Mapping, Sequence

import streamlit as st

from core.notebooks import NotebookTexts, notebook_of
from core.settings import provenance
from dashboard.i18n import current_lang, t, tp
from dashboard.registry import PAGES
from dashboard.settings import current_settings


def to_csv(rows: Sequence[Mapping[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["n"])
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_json(page: str, rows: Sequence[Mapping[str, object]], page_settings: Mapping[str, object]) -> str:
    """The rows with the settings, torch version, device name and thread count they were measured under."""
    document = {"page": page, **provenance(current_settings(), **page_settings), "rows": list(rows)}
    return json.dumps(document, indent=2, default=str)


def table_downloads(
    page: str, table: str, rows: Sequence[Mapping[str, object]], page_settings: Mapping[str, object]
) -> None:
    """CSV and JSON buttons for one measurement table, side by side."""
    stem = f"eager-lab-{page}-{table}"
    left, right = st.columns(2)
    left.download_button(
        t("export.csv"),
        to_csv(rows),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{page}.{table}.csv",
    )
    right.download_button(
        t("export.json"),
        to_json(page, rows, page_settings),
        file_name=f"{stem}.json",
        mime="application/json",
        on_click="ignore",
        key=f"{page}.{table}.json",
    )


def reproduce_section(page: str, script: str) -> None:
    """'Reproduce this': the page as a standalone script that needs only torch, shown and downloadable, also as a
    notebook (the script's cells under the page's explanation, in the learner's language)."""
    with st.expander(t("export.reproduce"), icon=":material/terminal:"):
        st.caption(t("export.reproduce_help"))
        stem = f"eager_lab_{page.replace('-', '_')}"
        left, right = st.columns(2)
        left.download_button(
            t("export.reproduce_download"),
            script,
            file_name=f"{stem}.py",
            mime="text/x-python",
            on_click="ignore",
            key=f"{page}.reproduce",
        )
        right.download_button(
            t("export.notebook_download"),
            page_notebook(page, script),  # built when clicked, on a thread of its own (nbformat costs ~0.4 s once)
            file_name=f"{stem}.ipynb",
            mime="application/x-ipynb+json",
            on_click="ignore",
            key=f"{page}.notebook",
        )
        st.code(script, language="python", wrap_lines=True)


def page_notebook(page: str, script: str) -> functools.partial[str]:
    """The notebook of `page` (its command: url path, or "home"), for a deferred download: its title and intro
    from the catalog of the session's language, read now (the click's thread has no session)."""
    (entry,) = [p for p in PAGES if p.command == page]
    texts = NotebookTexts(
        run_note=tp("export.notebook_how"),
        settings=tp("export.notebook_settings"),
        routines=tp("export.notebook_routines"),
        run=tp("export.notebook_run"),
    )
    title, explanation = f"Eager Lab: {tp(entry.title_key)}", tp(f"{entry.name}.intro")
    return functools.partial(
        notebook_of, script, title=title, explanation_md=explanation, lang=current_lang(), texts=texts
    )
