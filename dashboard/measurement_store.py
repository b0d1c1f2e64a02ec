"""Measurements kept process-wide, keyed by everything they depend on, so reruns and other visitors reuse them.

Streamlit's st.cache_resource does the keeping: bounded (least recently used dropped first), shared by every
session, one slot per (page, key). Each slot remembers when it was measured. A page's "measure again" button
makes the next run of that page measure afresh for this session.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

import streamlit as st

KEPT = 64


@st.cache_resource(max_entries=KEPT, show_spinner=False)
def _slot(page: str, key: Hashable) -> dict:
    """The mutable slot of one (page, key): empty until a measurement fills it."""
    return {}


def _force_key(page: str) -> str:
    return f"{page}.force_measure"


def measure_again(page: str) -> None:
    """Callback of a page's "measure again" button."""
    st.session_state[_force_key(page)] = True


def kept_or_measure(page: str, key: Hashable, compute: Callable[[], object]) -> tuple[object, float]:
    """The kept (result, time) for `key`, or `compute()` now and keep it; compute's exceptions propagate."""
    slot = _slot(page, key)
    if "result" not in slot or st.session_state.get(_force_key(page)):
        slot["result"] = (compute(), time.time())
        st.session_state[_force_key(page)] = False
    return slot["result"]
