"""A run that diverged: where its numbers stopped being finite, how far the loss grew first, and a way back.

With a learning rate too large for the optimizer, each update overshoots the minimum: the loss grows instead of
falling, the gradients grow with it, and within a few steps a value overflows to inf; inf - inf and 0 * inf are
NaN, and from then on every loss and weight is NaN. Nothing recovers by itself: the run has to start again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from core.train.loop import MIN_LR, ChunkResult, TrainConfig

LR_FACTOR = 10  # the suggested learning rate is this many times smaller


@dataclass(frozen=True, kw_only=True)
class Divergence:
    """The first step that was not finite, the loss at the first step and its largest finite value before."""

    step: int
    first_loss: float
    peak_loss: float
    peak_step: int
    lr: float
    suggested_lr: float | None  # None when the learning rate is already the smallest allowed


@dataclass(frozen=True, kw_only=True)
class Growth:
    """A series up to where it stopped being finite: its last finite value over its first, and that index."""

    ratio: float
    broke_at: int | None  # the index of its first non-finite value (None: finite throughout)


def first_not_finite(values: Sequence[float]) -> int | None:
    """The index of the first inf or NaN in `values`, or None."""
    return next((i for i, value in enumerate(values) if not math.isfinite(value)), None)


def growth(values: Sequence[float]) -> Growth:
    """How much a series grew before it broke: a ratio of finite numbers only, never NaN (0 when it starts at 0)."""
    broke_at = first_not_finite(values)
    finite = values[:broke_at] if broke_at is not None else values
    ratio = finite[-1] / finite[0] if len(finite) >= 1 and finite[0] != 0 else 0.0
    return Growth(ratio=ratio, broke_at=broke_at)


def suggested_lr(lr: float) -> float | None:
    """A learning rate LR_FACTOR times smaller, rounded to one significant digit, never below MIN_LR."""
    if lr <= MIN_LR:
        return None
    smaller = lr / LR_FACTOR
    digits = -math.floor(math.log10(smaller))
    return max(MIN_LR, round(smaller, digits))


def divergence(run: ChunkResult, config: TrainConfig) -> Divergence | None:
    """How `run` diverged, or None when its loss and parameters stayed finite."""
    if run.diverged is None:
        return None
    before = run.losses[: max(0, run.diverged - run.start - 1)]
    finite = [(loss, run.start + 1 + i) for i, loss in enumerate(before) if math.isfinite(loss)]
    peak_loss, peak_step = max(finite, default=(math.nan, run.diverged))
    first_loss = run.losses[0] if run.losses and run.start == 0 and math.isfinite(run.losses[0]) else math.nan
    return Divergence(
        step=run.diverged,
        first_loss=first_loss,
        peak_loss=peak_loss,
        peak_step=peak_step,
        lr=config.lr,
        suggested_lr=suggested_lr(config.lr),
    )
