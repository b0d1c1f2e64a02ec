"""The tensors a challenge's check runs on: the inputs the learner sees first, then the hidden ones."""

from __future__ import annotations

from collections.abc import Iterator

import torch

from core.challenges.catalog import Challenge
from core.loops.implementations import TOLERANCE
from core.tensors import DTYPES, program_inputs

HIDDEN_SEED = 1234  # w and b of hidden inputs come from this seed (plus the input's position)


def checked_inputs(challenge: Challenge, names: tuple[str, ...], dtype: str) -> Iterator[tuple[str, dict]]:
    """("shown" or "hidden", inputs by name) for each x of the challenge, w and b drawn where `names` read them."""
    for index, values in enumerate((*challenge.inputs, *challenge.hidden)):
        where = "shown" if index < len(challenge.inputs) else "hidden"
        x = torch.tensor(values, dtype=DTYPES[dtype])
        yield where, program_inputs(names, x, 0 if where == "shown" else HIDDEN_SEED + index)


def tolerance(dtype: torch.dtype) -> tuple[float, float]:
    """(rtol, atol): the dtype's tolerance, as the loops page compares (float64 references included)."""
    return TOLERANCE.get(dtype, TOLERANCE[torch.float32])
