"""Each element's value as it flows through the program's variables (x -> y -> z), sampled for large tensors."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from core.program import ProgramTrace
from core.tensors import sample_indices

MAX_PATHS = 30


@dataclass(frozen=True, kw_only=True)
class ValuePaths:
    """`values[k][j]` is element `indices[k]` of variable `names[j]`; `skipped` have another shape than x."""

    names: tuple[str, ...]
    indices: tuple[int, ...]
    values: tuple[tuple[float, ...], ...]
    skipped: tuple[str, ...]
    numel: int


def value_paths(trace: ProgramTrace, input_name: str, x: torch.Tensor, limit: int = MAX_PATHS) -> ValuePaths:
    """Follow up to `limit` evenly spaced elements of `x` through every executed variable of x's shape."""
    columns = [(input_name, x)]
    skipped = []
    for step in trace.steps:
        if step.shape == tuple(x.shape):
            columns.append((step.target, step.tensor))
        else:
            skipped.append(step.target)
    indices = sample_indices(x.numel(), limit)
    index_tensor = torch.tensor(indices, dtype=torch.long)
    table = torch.stack([t.detach().reshape(-1).to("cpu", torch.float64)[index_tensor] for _, t in columns], dim=1)
    return ValuePaths(
        names=tuple(name for name, _ in columns),
        indices=indices,
        values=tuple(tuple(row) for row in table.tolist()),
        skipped=tuple(dict.fromkeys(skipped)),
        numel=x.numel(),
    )
