"""The Eager vs compiled page's state (core/compiled/spec.py) and the callbacks of its buttons."""

from __future__ import annotations

from core.compiled.spec import SPEC, CompiledState
from dashboard import url_state

EXAMPLE_PROGRAM = "y = x * 2 + 5\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"


def current() -> CompiledState:
    return url_state.current(SPEC)


def choose_version(version: str) -> None:
    url_state.put("version", version)


def measure_cost() -> None:
    url_state.put("cost", True)


def load_example() -> None:
    """Put a program with a data-dependent `if` into the shared program (what this page is about)."""
    url_state.put("program", EXAMPLE_PROGRAM)
    url_state.put("version", "written")


def keep_rewrite(text: str) -> None:
    """Make the torch.where rewrite the learner's program, on every page."""
    url_state.put("program", text)
    url_state.put("version", "written")
