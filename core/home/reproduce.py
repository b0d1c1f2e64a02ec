"""The home page's script: the lesson's first example on the chosen device and dtype."""

from __future__ import annotations

from core.home.lesson import lesson_example_source
from core.scripts import header
from core.settings import Settings


def script(settings: Settings) -> str:
    """The lesson's first example on the chosen device and dtype."""
    body = lesson_example_source().replace("device=device, dtype=dtype", "device=DEVICE, dtype=DTYPE")
    return "\n".join([*header("home", settings, {}), body.rstrip(), ""])
