"""The Eager vs compiled page's parameters: which version of the program is compiled, and the cost measured."""

from __future__ import annotations

from dataclasses import dataclass

from core.compiled.cost import BACKENDS
from core.spec import Choice, Flag, Names, param, spec_of

VERSIONS = ("written", "where", "cond")


@dataclass(frozen=True, kw_only=True)
class CompiledState:
    """The version compiled (the program as written, or a rewrite), and whether and where the cost is measured."""

    version: str = param(Choice(choices=VERSIONS), "written", "the program as written, or its where or cond rewrite")
    cost: bool = param(Flag(), False, "1 measures compile time and time per call per backend")
    backends: tuple[str, ...] = param(Names(allowed=BACKENDS), BACKENDS, "the backends whose cost is measured")


SPEC = spec_of(CompiledState, "compiled")
