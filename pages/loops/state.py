"""The loops page's state (core/loops/spec.py) and the callback that runs the profile on demand (`profile=1`: a link
with it reproduces the profiled view)."""

from __future__ import annotations

from core.loops.spec import SPEC, LoopsState
from dashboard import url_state


def current() -> LoopsState:
    return url_state.current(SPEC)


def profile() -> None:
    """Callback of the profile button: the profile runs, and the URL says so."""
    url_state.put("profile", True)
