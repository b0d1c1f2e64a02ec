"""The home page's script: the lesson's first example, the very function the page runs, on the chosen device and
dtype."""

from __future__ import annotations

from core.home.lesson import lesson_first_example
from core.script_source import routines
from core.scripts import header
from core.settings import Settings


def script(settings: Settings) -> str:
    """The lesson's first example on the chosen device and dtype."""
    parts = routines(lesson_first_example)
    return "\n".join(
        [*header("home", settings, {}, parts.imports), *parts.lines, "lesson_first_example(DEVICE, DTYPE)", ""]
    )
