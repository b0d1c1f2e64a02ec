"""The error of a `python -m core` option that is well-formed but does not fit the program."""

from __future__ import annotations


class UsageError(ValueError):
    """An option that is well-formed but does not fit the program, reported like argparse's own errors."""
