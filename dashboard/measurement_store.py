"""Measurements kept process-wide, keyed by everything they depend on, so reruns and other visitors reuse them.

Bounded (oldest dropped first); each entry remembers when it was measured. A page's "measure again" button
makes the next run of that page measure afresh for this session.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

import streamlit as st

KEPT_PER_PAGE = 16


@st.cache_resource
def _store() -> dict[str, OrderedDict]:
    return {}


def _force_key(page: str) -> str:
    return f"{page}.force_measure"


def measure_again(page: str) -> None:
    """Callback of a page's "measure again" button."""
    st.session_state[_force_key(page)] = True


def kept(page: str, key: tuple) -> tuple[object, float] | None:
    """(result, when it was measured) for exactly `key`, unless this session asked to measure again."""
    if st.session_state.get(_force_key(page)):
        return None
    return _store().get(page, OrderedDict()).get(key)


def keep(page: str, key: tuple, result: object) -> tuple[object, float]:
    """Keep a fresh result for `key` and return it with its timestamp."""
    entries = _store().setdefault(page, OrderedDict())
    entries[key] = (result, time.time())
    entries.move_to_end(key)
    while len(entries) > KEPT_PER_PAGE:
        entries.popitem(last=False)
    st.session_state[_force_key(page)] = False
    return entries[key]


def kept_or_measure(page: str, key: tuple, compute: Callable[[], object]) -> tuple[object, float]:
    """The kept (result, time) for `key`, or `compute()` now and keep it; compute's exceptions propagate."""
    found = kept(page, key)
    return found if found is not None else keep(page, key, compute())
