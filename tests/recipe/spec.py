"""The throwaway page's one parameter, declared once: how many times x is added up."""

from __future__ import annotations

from dataclasses import dataclass

from core.spec import Int, param, spec_of


@dataclass(frozen=True, kw_only=True)
class EchoState:
    """How many times x is added up."""

    times: int = param(Int(low=1, high=10), 2, "how many times x is added up")


SPEC = spec_of(EchoState, "echo")
