"""The Eager vs compiled page's URL parameters: which version of the program is compiled, whether the cost is
measured, and on which backends."""

from __future__ import annotations

from core.compiled.cost import BACKENDS
from dashboard import url_state
from dashboard.settings import names_text, parse_choice, parse_names
from dashboard.url_state import UrlParam

VERSIONS = ("written", "where", "cond")
EXAMPLE_PROGRAM = "y = x * 2 + 5\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"

COMPILED_PARAMS = (
    UrlParam("version", lambda raw: parse_choice(raw, VERSIONS), lambda: "written"),
    UrlParam("cost", lambda raw: parse_choice(raw, ("0", "1")), lambda: "0"),
    UrlParam("backends", lambda raw: parse_names(raw, BACKENDS), lambda: BACKENDS, names_text),
)


def load() -> None:
    url_state.load(COMPILED_PARAMS)


def sync_url() -> None:
    url_state.sync_url(COMPILED_PARAMS)


def choose_version(version: str) -> None:
    url_state.put("version", version)


def measure_cost() -> None:
    url_state.put("cost", "1")


def load_example() -> None:
    """Put a program with a data-dependent `if` into the shared program (what this page is about)."""
    url_state.put("program", EXAMPLE_PROGRAM)
    url_state.put("version", "written")


def keep_rewrite(text: str) -> None:
    """Make the torch.where rewrite the learner's program, on every page."""
    url_state.put("program", text)
    url_state.put("version", "written")
