"""Pieces the `python -m core` sub-commands share: the usage error, and the CLI's own time budget option."""

from __future__ import annotations

from core.spec import Float, Param
from core.timing import MAX_BUDGET_S


class UsageError(ValueError):
    """An option that is well-formed but does not fit the program, reported like argparse's own errors."""


def budget_option(default: float, per: str) -> Param:
    """`--budget`: seconds of timing per measurement, set by the CLI alone (the page uses `default`)."""
    return Param(
        name="budget", kind=Float(low=0.01, high=MAX_BUDGET_S), default=default, help=f"seconds of timing {per}"
    )
