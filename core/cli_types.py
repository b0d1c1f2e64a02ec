"""argparse value types shared by the `python -m core` sub-commands: the same limits the pages apply."""

from __future__ import annotations

import argparse


class UsageError(ValueError):
    """An option that is well-formed but does not fit the program, reported like argparse's own errors."""


def sizes_list(text: str) -> tuple[int, ...]:
    """Comma-separated positive integers."""
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be comma-separated integers, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def bounded(kind: type, low: float, high: float):
    """An argparse type: a number of `kind` within [low, high]."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(f"{text} is outside {low:,} ... {high:,}")
        return value

    return parse
