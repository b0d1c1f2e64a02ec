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
