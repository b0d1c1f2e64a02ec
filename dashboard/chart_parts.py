"""Pieces of Plotly figures that several pages' chart builders share."""

from __future__ import annotations


def quartile_bars(values: list[tuple[float, float, float]], scale: float = 1.0) -> dict:
    """Asymmetric error bars from each (median, q1, q3): down to the first quartile, up to the third."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [(q3 - median) * scale for median, _, q3 in values],
        "arrayminus": [(median - q1) * scale for median, q1, _ in values],
        "visible": True,
    }


def integer_ticks(largest: float, most: int = 6) -> dict:
    """Axis settings for a count (elements, indices): whole-number ticks from 0, 1, 2 or 5 times a power of ten
    apart, at most about `most` of them, so no two ticks round to the same label (0 1 1 2 2 once did); large
    counts keep Plotly's short form (20k)."""
    steps = (factor * 10**power for power in range(16) for factor in (1, 2, 5))
    step = next(s for s in steps if largest / s <= most)
    return {"tick0": 0, "dtick": step, "tickformat": "~s"}
