"""'Copy link': the address of exactly this view (page, settings, program, sizes, case, step) to bookmark or share."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard.i18n import t


def view_link(url_path: str) -> str:
    """This page's address with the current query string; relative where the browser's address is unknown."""
    base = (st.context.url or "").rstrip("/")
    if url_path and base.endswith(f"/{url_path}"):  # the browser's address may still name the page
        base = base.removesuffix(f"/{url_path}")
    query = urlencode({name: st.query_params[name] for name in st.query_params})
    return f"{base}/{url_path}" + (f"?{query}" if query else "")


def copy_link(url_path: str) -> None:
    """The link in a code box, whose copy button puts it on the clipboard."""
    with st.sidebar:
        st.caption(t("share.caption"))
        st.code(view_link(url_path), language=None, wrap_lines=True)
