"""The grad-modes page's URL parameters: which workload, and its sizes (capped, checked against memory later)."""

from __future__ import annotations

from core.grad_modes import (
    DEFAULT_BATCH,
    DEFAULT_DEPTH,
    DEFAULT_SIZE,
    DEFAULT_WIDTH,
    MAX_BATCH,
    MAX_DEPTH,
    MAX_PROGRAM_N,
    MAX_WIDTH,
)
from core.timing import DEFAULT_BUDGET_S
from dashboard import url_state
from dashboard.settings import parse_choice, parse_int
from dashboard.url_state import UrlParam

WORKLOADS = ("program", "mlp")
BUDGET_S = DEFAULT_BUDGET_S
# the scaling chart measures at these fractions of the chosen size
SCALING_FRACTIONS = (0.25, 0.5, 1.0)

GRAD_MODES_PARAMS = (
    UrlParam("workload", lambda raw: parse_choice(raw, WORKLOADS), lambda: "program"),
    UrlParam("size", lambda raw: parse_int(raw, 1, MAX_PROGRAM_N), lambda: DEFAULT_SIZE),
    UrlParam("width", lambda raw: parse_int(raw, 1, MAX_WIDTH), lambda: DEFAULT_WIDTH),
    UrlParam("depth", lambda raw: parse_int(raw, 1, MAX_DEPTH), lambda: DEFAULT_DEPTH),
    UrlParam("batch", lambda raw: parse_int(raw, 1, MAX_BATCH), lambda: DEFAULT_BATCH),
)


def load() -> None:
    url_state.load(GRAD_MODES_PARAMS)


def active_params() -> tuple[str, ...]:
    """The parameters the chosen workload uses (the others are dropped from the URL)."""
    if url_state.get("workload") == "program":
        return ("workload", "size")
    return ("workload", "width", "depth", "batch")


def scaling_sizes(total: int) -> tuple[int, ...]:
    return tuple(sorted({max(1, round(total * f)) for f in SCALING_FRACTIONS}))
