"""The step-by-step page's routine for scripts: each assignment printed as a card, pausing where the page did."""

from collections.abc import Callable


class Cards:
    """Prints each assignment through `say` (print, passed in before the program may reuse the name) and pauses the
    run, by raising `Cards.Paused`, once `limit` assignments have been shown."""

    class Paused(Exception):
        """Raised where the page paused."""

    def __init__(self, limit: int, say: Callable[..., None]) -> None:
        self.limit, self.say, self.shown = limit, say, 0

    def start(self) -> None:
        """Pause before the first statement when the page ran none."""
        if self.shown >= self.limit:
            raise self.Paused

    def show(self, label: str, value: object) -> None:
        self.say(label)
        self.say(value)
        self.shown += 1
        self.start()

    def refused(self, exc: Exception) -> None:
        """PyTorch's refusal, as the page shows it."""
        self.say(f"{exc.__class__.__name__}: {exc}")
