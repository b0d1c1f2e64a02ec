"""One Agreement: does a computed tensor match its reference, within which tolerance, and by how much it differs."""

from __future__ import annotations

from dataclasses import dataclass

import torch

# torch.allclose's own defaults
DEFAULT_RTOL, DEFAULT_ATOL = 1e-5, 1e-8


@dataclass(frozen=True, kw_only=True)
class Agreement:
    """`name`'s value against its reference: torch.allclose (nan equal to nan) and the largest finite difference."""

    name: str
    agrees: bool
    max_abs_diff: float
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL


def compare(
    name: str, value: torch.Tensor, reference: torch.Tensor, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> Agreement:
    """Compare `value` with `reference`; a shape mismatch disagrees, differences count where both are finite."""
    if value.shape != reference.shape:
        return Agreement(name=name, agrees=False, max_abs_diff=float("inf"), rtol=rtol, atol=atol)
    agrees = torch.allclose(value, reference, rtol, atol, equal_nan=True)
    finite = torch.isfinite(reference) & torch.isfinite(value)
    diff = (value.double() - reference.double()).abs()[finite]
    max_abs_diff = diff.max().item() if diff.numel() else 0.0
    return Agreement(name=name, agrees=bool(agrees), max_abs_diff=max_abs_diff, rtol=rtol, atol=atol)
