"""The plain-PyTorch code a choice challenge shows, by name: exactly the functions the grader runs (core.cases)."""

from __future__ import annotations

from core.cases import shown_source
from core.challenges import cases
from core.challenges.checks import PITFALL_LOOPS


def shown_code(challenge_id: str) -> dict[str, str]:
    """ "broken" (the code as given; a pitfall's line numbers count from its `def`), and each choice's fix by its
    letter for the in-place challenge; empty for a challenge answered with a program or a tensor."""
    if challenge_id == "autograd-inplace":
        fixes = {letter: shown_source(function) for letter, function in cases.INPLACE_CHOICES.items()}
        return {"broken": shown_source(cases.inplace_broken), **fixes}
    if challenge_id in PITFALL_LOOPS:
        return {"broken": shown_source(PITFALL_LOOPS[challenge_id][0])}
    return {}
