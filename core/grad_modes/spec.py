"""The grad-modes page's parameters: the workload, its sizes (checked against memory when it runs), fixes shown."""

from __future__ import annotations

from dataclasses import dataclass

from core.grad_modes.cases import GRAD_MODE_CASES
from core.grad_modes.modes import (
    DEFAULT_BATCH,
    DEFAULT_DEPTH,
    DEFAULT_SIZE,
    DEFAULT_WIDTH,
    MAX_BATCH,
    MAX_DEPTH,
    MAX_PROGRAM_N,
    MAX_WIDTH,
)
from core.grad_modes.run import WORKLOADS
from core.spec import Choice, Int, Names, param, spec_of

CASE_KEYS = tuple(case.key for case in GRAD_MODE_CASES)


@dataclass(frozen=True, kw_only=True)
class GradModesState:
    """The workload compared under the three modes: the program at a size, or an MLP of a shape."""

    workload: str = param(Choice(choices=WORKLOADS), "program", "the program, or a small MLP")
    size: int = param(Int(low=1, high=MAX_PROGRAM_N), DEFAULT_SIZE, "n of x for the program workload")
    width: int = param(Int(low=1, high=MAX_WIDTH), DEFAULT_WIDTH, "the MLP's width")
    depth: int = param(Int(low=1, high=MAX_DEPTH), DEFAULT_DEPTH, "the MLP's Linear layers")
    batch: int = param(Int(low=1, high=MAX_BATCH), DEFAULT_BATCH, "the MLP's batch")
    fixes: tuple[str, ...] = param(Names(allowed=CASE_KEYS), (), "consequences whose fix is shown")


SPEC = spec_of(GradModesState, "grad_modes")
