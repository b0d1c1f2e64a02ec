"""The autograd page's parameters: which inputs require grad, the output, its reduction, backward, fixes shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.autograd.backward import REDUCTIONS
from core.autograd.errors import AUTOGRAD_ERRORS
from core.program import INPUT_NAMES
from core.spec import Choice, Flag, Names, Refusal, Text, param, spec_of

CASE_KEYS = tuple(case.key for case in AUTOGRAD_ERRORS)
REDUCE_CHOICES = (*REDUCTIONS, "none")


def _check_name(raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", raw):
        raise Refusal()
    return raw


@dataclass(frozen=True, kw_only=True)
class AutogradState:
    """The autograd view: inputs tracked, the output differentiated and how it becomes a scalar, fixes shown."""

    grad: tuple[str, ...] = param(Names(allowed=INPUT_NAMES), ("x",), "inputs that require grad (empty: none)")
    output: str = param(
        Text(high=40, check=_check_name), "", "the name to differentiate (default: the last statement's)"
    )
    reduce: str = param(Choice(choices=REDUCE_CHOICES), "sum", "how a non-scalar output becomes a scalar")
    backward: bool = param(Flag(), False, "1 runs backward, 0 not yet")
    fixed: tuple[str, ...] = param(Names(allowed=CASE_KEYS), (), "error cases whose fix is shown")


SPEC = spec_of(AutogradState, "autograd")
