"""The loops page's parameters: the sweep's sizes and time budget, and the profile (on demand, at one size)."""

from __future__ import annotations

from dataclasses import dataclass

from core.loops.profile import DEFAULT_PROFILE_N, MAX_PROFILE_N
from core.loops.sweep import DEFAULT_SIZES, SWEEP_BUDGET_S
from core.spec import Flag, Float, Int, Sizes, param, spec_of

# Below 0.05 s a measurement is one or two blocks: a "median" of noise. Above 2 s a sweep drags.
MIN_BUDGET_S, MAX_BUDGET_S = 0.05, 2.0
MAX_SIZES = 12
MAX_SIZE_DIGITS = 13  # a size past the device's cap is refused per size, with its reason, by the sweep


@dataclass(frozen=True, kw_only=True)
class LoopsState:
    """The sweep (sizes, seconds per measurement) and the profile (its size, whether it runs)."""

    sizes: tuple[int, ...] = param(
        Sizes(low=1, high=10**MAX_SIZE_DIGITS - 1, count=MAX_SIZES),
        DEFAULT_SIZES,
        "sizes n of the sweep (10^7 on CPU, 10^8 on CUDA)",
    )
    budget: float = param(
        Float(low=MIN_BUDGET_S, high=MAX_BUDGET_S), SWEEP_BUDGET_S, "seconds of timing per implementation and size"
    )
    prof_n: int = param(
        Int(low=1, high=MAX_PROFILE_N), DEFAULT_PROFILE_N, "the size n profiled in where eager's time goes"
    )
    profile: bool = param(Flag(), False, "1 runs where eager's time goes (torch.profiler at prof_n)")


SPEC = spec_of(LoopsState, "loops")
