"""The step-by-step page's parameters: how many assignments have run, and define-by-run's scale."""

from __future__ import annotations

from dataclasses import dataclass

from core.program import MAX_EXECUTED
from core.spec import Float, Int, param, spec_of

SCALE_LIMIT = 100.0  # define-by-run's second input is scale·x, scale within ±this


@dataclass(frozen=True, kw_only=True)
class StepsState:
    """Where the step-by-step view stands, and the second input of define-by-run."""

    step: int = param(
        Int(low=0, high=MAX_EXECUTED),
        MAX_EXECUTED,
        "assignments executed (loop turns count); more than the program runs runs it all (presenting: 0)",
    )
    scale: float = param(
        Float(low=-SCALE_LIMIT, high=SCALE_LIMIT), -1.0, "define-by-run runs the program on x and on scale·x"
    )


SPEC = spec_of(StepsState, "steps")
