"""The pitfalls page's parameters: the mistake shown, and the lesson's checklist items ticked."""

from __future__ import annotations

from dataclasses import dataclass

from core.pitfalls.mistakes import CASE_KEYS
from core.spec import Choice, Names, param, spec_of

CHECKLIST_KEYS = ("vectorize", "requires_grad", "no_grad", "intermediates", "inference")


@dataclass(frozen=True, kw_only=True)
class PitfallsState:
    """The mistake shown and the habits ticked."""

    case: str = param(Choice(choices=CASE_KEYS), CASE_KEYS[0], "the mistake shown")
    done: tuple[str, ...] = param(Names(allowed=CHECKLIST_KEYS), (), "checklist items ticked")


SPEC = spec_of(PitfallsState, "pitfalls")
