"""The home page has no parameters of its own: the shared settings only."""

from __future__ import annotations

from dataclasses import dataclass

from core.spec import spec_of


@dataclass(frozen=True, kw_only=True)
class HomeState:
    """Nothing beyond the shared settings."""


SPEC = spec_of(HomeState, "home")
