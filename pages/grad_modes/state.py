"""The grad-modes page's state (core/grad_modes/spec.py): which size parameters the chosen workload uses."""

from __future__ import annotations

from core.grad_modes.spec import SPEC, GradModesState
from dashboard import url_state


def current() -> GradModesState:
    return url_state.current(SPEC)


def active_params(state: GradModesState) -> tuple[str, ...]:
    """The size parameters the chosen workload uses (the others are dropped from the URL)."""
    if state.workload == "program":
        return ("workload", "size")
    return ("workload", "width", "depth", "batch")


def inactive(state: GradModesState) -> list[str]:
    return [name for name in ("size", "width", "depth", "batch") if name not in active_params(state)]
