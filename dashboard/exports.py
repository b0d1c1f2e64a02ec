"""Take-home files: measurement tables as CSV and JSON (with provenance), and each page's 'Reproduce this' script."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

import streamlit as st

from core.settings import provenance
from dashboard.i18n import t
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
    """'Reproduce this': the page as a standalone script that needs only torch, shown and downloadable."""
    with st.expander(t("export.reproduce"), icon=":material/terminal:"):
        st.caption(t("export.reproduce_help"))
        st.download_button(
            t("export.reproduce_download"),
            script,
            file_name=f"eager_lab_{page.replace('-', '_')}.py",
            mime="text/x-python",
            on_click="ignore",
            key=f"{page}.reproduce",
        )
        st.code(script, language="python", wrap_lines=True)
