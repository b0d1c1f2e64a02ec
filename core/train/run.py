"""The training page's jobs, for the page and the CLI alike: plain requests in, plain frozen results out."""

from __future__ import annotations

from core.timing import DEFAULT_BUDGET_S
from core.train.loop import ChunkResult, TrainConfig, train_chunk
from core.train.phases import PhaseWalk, phase_walk
from core.train.pitfalls import (
    DropoutEval,
    EvalMemory,
    ItemCost,
    ZeroGradRun,
    dropout_pitfall,
    item_pitfall,
    no_grad_pitfall,
    zero_grad_pitfall,
)

CHUNK_S = 0.2  # while playing, each job trains for about this long, then the page redraws
CHUNK_MAX_STEPS = 2000
ITEM_BUDGET_S = DEFAULT_BUDGET_S


def train(config: TrainConfig, state: bytes | None, steps: int, seconds: float | None = None) -> ChunkResult:
    """`steps` steps from `state` (None: from the seed); with `seconds`, stop early once that much time passed."""
    return train_chunk(config, state, steps, seconds)


def walk(config: TrainConfig, state: bytes | None) -> PhaseWalk:
    """The next iteration after `state`, phase by phase."""
    return phase_walk(config, state)


def pitfall(config: TrainConfig, name: str, state: bytes | None) -> ZeroGradRun | EvalMemory | DropoutEval:
    """The pitfall `name` (except `item`, which measures: see `item_cost`)."""
    if name == "zero_grad":
        return zero_grad_pitfall(config)
    if name == "no_grad":
        return no_grad_pitfall(config, state)
    if name == "dropout":
        return dropout_pitfall(config)
    raise ValueError(f"unknown pitfall {name!r}")


def item_cost(config: TrainConfig, budget_s: float = ITEM_BUDGET_S) -> ItemCost:
    """The .item() pitfall: two timed loops (a measuring job)."""
    return item_pitfall(config, budget_s)
