"""The grad-modes page's URL parameters: which workload, its sizes (capped, checked against memory later), fixes."""

from __future__ import annotations

from core.grad_modes.cases import GRAD_MODE_CASES
from core.grad_modes.modes import (
    DEFAULT_BATCH,
    DEFAULT_DEPTH,
    DEFAULT_SIZE,
    DEFAULT_WIDTH,
    MAX_BATCH,
    MAX_DEPTH,
    MAX_PROGRAM_N,
    MAX_WIDTH,
)
from core.grad_modes.run import WORKLOADS
from dashboard import url_state
from dashboard.settings import names_text, parse_choice, parse_int, parse_names
from dashboard.url_state import UrlParam

CASE_KEYS = tuple(case.key for case in GRAD_MODE_CASES)

GRAD_MODES_PARAMS = (
    UrlParam("workload", lambda raw: parse_choice(raw, WORKLOADS), lambda: "program"),
    UrlParam("size", lambda raw: parse_int(raw, 1, MAX_PROGRAM_N), lambda: DEFAULT_SIZE),
    UrlParam("width", lambda raw: parse_int(raw, 1, MAX_WIDTH), lambda: DEFAULT_WIDTH),
    UrlParam("depth", lambda raw: parse_int(raw, 1, MAX_DEPTH), lambda: DEFAULT_DEPTH),
    UrlParam("batch", lambda raw: parse_int(raw, 1, MAX_BATCH), lambda: DEFAULT_BATCH),
    UrlParam("fixes", lambda raw: parse_names(raw, CASE_KEYS), lambda: (), names_text),
)


def load() -> None:
    url_state.load(GRAD_MODES_PARAMS)


def active_params() -> tuple[str, ...]:
    """The size parameters the chosen workload uses (the others are dropped from the URL)."""
    if url_state.get("workload") == "program":
        return ("workload", "size")
    return ("workload", "width", "depth", "batch")


def sync_url() -> None:
    sizes = ("workload", "size", "width", "depth", "batch")
    url_state.sync_url(GRAD_MODES_PARAMS, inactive=[name for name in sizes if name not in active_params()])
