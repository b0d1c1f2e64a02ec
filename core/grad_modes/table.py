"""The grad-modes comparison as table rows under stable names: the page's downloads and the CLI's report."""

from __future__ import annotations

from collections.abc import Sequence

from core.grad_modes.modes import ModeResult


def mode_rows(results: Sequence[ModeResult]) -> list[dict[str, object]]:
    """One row per grad mode: time, the output's flags and the bytes autograd saved, under stable names."""
    return [
        {
            "mode": r.mode,
            "median_s": r.time.median,
            "q1_s": r.time.q1,
            "q3_s": r.time.q3,
            "runs": r.time.runs,
            "requires_grad": r.flags.requires_grad,
            "grad_fn": r.flags.grad_fn,
            "is_inference": r.flags.is_inference,
            "saved_bytes_anyway": r.ledger.anyway_bytes,
            "saved_bytes_extra": r.ledger.extra_bytes,
            "saved_tensors": r.ledger.saved_count,
            "peak_extra_bytes": r.peak_extra_bytes,
        }
        for r in results
    ]
