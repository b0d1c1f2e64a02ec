"""Entry point of Eager Lab: shared sidebar settings, navigation over the registered pages, then the page."""

import gc
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import jobs, settings  # noqa: E402
from dashboard.i18n import LANGUAGES, current_lang  # noqa: E402
from dashboard.navigation import build_pages  # noqa: E402
from dashboard.presenter import presenting  # noqa: E402
from dashboard.settings import GLOBAL_PARAMS  # noqa: E402
from dashboard.share import copy_link  # noqa: E402
from dashboard.sidebar import render_sidebar  # noqa: E402
from dashboard.widgets import show_url_notices  # noqa: E402

PRESENTER_CSS = Path(__file__).with_name("presenter.css")
ACCESSIBLE_CSS = Path(__file__).with_name("accessible.css")
# Streamlit's page says <html lang="en"> in every language: screen readers then read Spanish with English rules
# and a table wider than the screen scrolls in a box that a keyboard must reach (tabindex), Streamlit's is not
PAGE_SCRIPT = Path(__file__).with_name("accessible.js")


@st.cache_resource(show_spinner=False)
def _freeze_long_lived_objects() -> bool:
    """Once per server: hide the imported modules' objects from the collector, so the full collection
    Streamlit runs after every script run walks only what runs create (77 ms to under 1 ms, bench/gc_stall.py)."""
    import pandas  # noqa: F401  (imported by the pages' tables and charts later anyway: frozen now)
    import plotly.graph_objects  # noqa: F401

    gc.freeze()
    return True


_freeze_long_lived_objects()
jobs.prepare()  # at once under `python -m dashboard.serve`; the first visitor's run starts the pools otherwise

settings.load()
# presenting: the sidebar starts folded away, so the computation fills the projected screen
sidebar = "collapsed" if presenting() else "auto"
st.set_page_config(page_title="Eager Lab", page_icon=":material/bolt:", layout="wide", initial_sidebar_state=sidebar)
render_sidebar()
st.html(ACCESSIBLE_CSS)
if presenting():
    st.html(PRESENTER_CSS)
page = st.navigation(build_pages(current_lang()))
show_url_notices(p.name for p in GLOBAL_PARAMS)
try:
    page.run()
finally:  # after the page has written its own parameters, and even when it stopped early on bad input
    copy_link(page.url_path)
    # a fixed script and one of the catalog's language codes: the one script the app runs in the page
    language = next(code for code in LANGUAGES if code == current_lang())  # a catalog's code, never outside text
    script = PAGE_SCRIPT.read_text().replace("LANG", language)
    st.sidebar.html(f'<span id="eager-lab-script"></span><script>{script}</script>', unsafe_allow_javascript=True)
