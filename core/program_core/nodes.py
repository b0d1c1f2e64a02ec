"""The normal form of a checked expression: small frozen records every backend reads, so a rule is decided once.

What lowering decides (core.program_core.lower): which names are loop counters (plain ints), which arithmetic is
between plain numbers (Python's own, whatever the backend), and where a power of plain numbers is taken in float.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Position = tuple[int, int, int, int]  # line, column, end line, end column, as `ast` counts them
NOWHERE: Position = (0, 0, 0, 0)  # a node no one wrote (a rename, a float conversion)


@dataclass(frozen=True, kw_only=True)
class Node:
    """Where the learner wrote the node, so refusals and the built function's code point at it."""

    at: Position = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Constant(Node):
    value: int | float | bool  # a bool only as `keepdim=`


@dataclass(frozen=True, kw_only=True)
class Name(Node):
    id: str
    number: bool = False  # a loop counter in scope: a plain int, never a tensor


@dataclass(frozen=True, kw_only=True)
class Unary(Node):
    op: str  # a key of core.program_core.operators.UNARY
    operand: Expr


@dataclass(frozen=True, kw_only=True)
class Binary(Node):
    op: str  # a key of core.program_core.operators.BINARY
    left: Expr
    right: Expr
    numbers: bool = False  # both sides are plain numbers: Python's own arithmetic in every backend


@dataclass(frozen=True, kw_only=True)
class Compare(Node):
    op: str  # a key of core.program_core.operators.COMPARE
    left: Expr
    right: Expr


@dataclass(frozen=True, kw_only=True)
class ToFloat(Node):
    """A plain number as a Python float: the base of a power of plain numbers, which as an int could grow unbounded."""

    operand: Expr


@dataclass(frozen=True, kw_only=True)
class Call(Node):
    """`torch.<function>(...)` (receiver None) or `<receiver>.<function>(...)`, as written."""

    function: str
    receiver: Expr | None
    args: tuple[Expr, ...] = ()
    keywords: tuple[tuple[str, Expr], ...] = ()
    function_at: Position = field(default=NOWHERE, compare=False, repr=False)  # the `x.f` or `torch.f` part
    owner_at: Position = field(default=NOWHERE, compare=False, repr=False)  # the `x` or `torch` part


Expr = Constant | Name | Unary | Binary | Compare | ToFloat | Call
