"""The loops page's URL parameters: the sizes of the sweep, the time budget per measurement, the size profiled, and
whether the profile runs (`profile=1`: it runs on demand, and a link with it reproduces the profiled view)."""

from __future__ import annotations

from core.loops.profile import DEFAULT_PROFILE_N, MAX_PROFILE_N
from core.loops.sweep import DEFAULT_SIZES, SWEEP_BUDGET_S
from dashboard import url_state
from dashboard.settings import parse_choice
from dashboard.url_state import BadValue, UrlParam

# Below 0.05 s a measurement is one or two blocks: a "median" of noise. Above 2 s a sweep drags.
MIN_BUDGET_S, MAX_BUDGET_S = 0.05, 2.0
MAX_SIZES = 12
SIZE_GRID = tuple(sorted({m * 10**e for e in range(1, 9) for m in (1, 3)} - {3 * 10**8}))


def _parse_sizes(raw: str) -> tuple[int, ...]:
    """Comma-separated sizes; "" is the empty choice (the page then asks for one)."""
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts:
        return ()
    if len(parts) > MAX_SIZES or not all(p.isdigit() and len(p) <= 13 for p in parts):
        raise BadValue()
    sizes = tuple(sorted({int(p) for p in parts}))
    if sizes[0] < 1:
        raise BadValue("out_of_range")
    return sizes


def _parse_budget(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise BadValue() from None
    if not MIN_BUDGET_S <= value <= MAX_BUDGET_S:  # also refuses nan
        raise BadValue("out_of_range")
    return value


def _parse_profile_n(raw: str) -> int:
    text = raw.strip()
    if not text.isdigit() or len(text) > 13:
        raise BadValue()
    value = int(text)
    if not 1 <= value <= MAX_PROFILE_N:
        raise BadValue("out_of_range")
    return value


LOOPS_PARAMS = (
    UrlParam("sizes", _parse_sizes, lambda: DEFAULT_SIZES, lambda sizes: ",".join(str(n) for n in sizes)),
    UrlParam("budget", _parse_budget, lambda: SWEEP_BUDGET_S, lambda value: f"{value:g}"),
    UrlParam("prof_n", _parse_profile_n, lambda: DEFAULT_PROFILE_N),
    UrlParam("profile", lambda raw: parse_choice(raw, ("0", "1")), lambda: "0"),
)


def load() -> None:
    url_state.load(LOOPS_PARAMS)


def profile() -> None:
    """Callback of the profile button: the profile runs, and the URL says so."""
    url_state.put("profile", "1")
