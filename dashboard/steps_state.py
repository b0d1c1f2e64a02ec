"""The step-by-step page's own URL parameter (step) and the callbacks of its controls."""

from __future__ import annotations

from core.program import MAX_STATEMENTS
from dashboard import url_state
from dashboard.settings import BadValue, parse_int
from dashboard.url_state import UrlParam


def _parse_threshold(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise BadValue() from None
    if not 1.0 <= value <= 1000.0:
        raise BadValue("out_of_range")
    return value


STEP_PARAMS = (
    UrlParam("step", lambda raw: parse_int(raw, 0, MAX_STATEMENTS), lambda: MAX_STATEMENTS),
    UrlParam("threshold", _parse_threshold, lambda: 100.0, lambda value: f"{value:g}"),
)


def set_step(value: int) -> None:
    url_state.put("step", value)


def run_whole_program() -> None:
    """After a valid edit, show the whole new program run."""
    url_state.put("step", MAX_STATEMENTS)
