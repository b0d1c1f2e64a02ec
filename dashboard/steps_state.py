"""The step-by-step page's own URL parameter (step) and the callbacks of its controls."""

from __future__ import annotations

from core.program import MAX_STATEMENTS
from dashboard import url_state
from dashboard.settings import parse_int
from dashboard.url_state import UrlParam

STEP_PARAMS = (UrlParam("step", lambda raw: parse_int(raw, 0, MAX_STATEMENTS), lambda: MAX_STATEMENTS),)


def set_step(value: int) -> None:
    url_state.put("step", value)
