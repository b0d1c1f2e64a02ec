"""The checked blocks (assignments, `if`/`else`, `for i in range(k)`), each carrying its lowered expression, and the
two ways backends go through them: `walk` runs them, `fold` builds code from them."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.program_core.nodes import Expr


@dataclass(frozen=True, kw_only=True)
class Statement:
    """One checked assignment: `target = expression`, with its 1-based line and its source text."""

    target: str
    expression: ast.expr = field(repr=False, compare=False)  # the checked syntax tree, as written
    lowered: Expr = field(repr=False, compare=False)  # its normal form, what every backend runs or writes
    line: int
    source: str


@dataclass(frozen=True, kw_only=True)
class Branch:
    """A checked `if <condition>:` block with its optional `else:` (an `elif` is an `if` inside the else)."""

    condition: ast.expr = field(repr=False, compare=False)
    lowered: Expr = field(repr=False, compare=False)
    line: int
    source: str  # the header as written, e.g. "if y.sum() > 0:"
    body: tuple[Block, ...]
    orelse: tuple[Block, ...]


@dataclass(frozen=True, kw_only=True)
class Repeat:
    """A checked `for <variable> in range(<count>):` block; the variable is a plain int inside the body only."""

    variable: str
    count: int
    line: int
    source: str
    body: tuple[Block, ...]


Block = Statement | Branch | Repeat


def walk(blocks: tuple[Block, ...], env: dict[str, object], on_statement, on_branch, context=()) -> None:
    """Run `blocks` in order over `env`: each assignment through `on_statement(statement, env, context)`, each `if`
    through `on_branch(branch, env, context) -> bool`; loops unroll with their variable (a plain int) in `env`.

    The one walker every consumer shares (eager run, fx tracing, closures), so they agree on what runs.
    """
    for block in blocks:
        if isinstance(block, Statement):
            on_statement(block, env, context)
        elif isinstance(block, Branch):
            chosen = block.body if on_branch(block, env, context) else block.orelse
            walk(chosen, env, on_statement, on_branch, context)
        else:
            for index in range(block.count):
                env[block.variable] = index
                walk(block.body, env, on_statement, on_branch, (*context, (block.variable, index)))
            env.pop(block.variable, None)


def fold(
    blocks: tuple[Block, ...],
    statement: Callable[[Statement], list[Any]],
    branch: Callable[[Branch, list[Any], list[Any]], list[Any]],
    repeat: Callable[[Repeat, list[Any]], list[Any]],
) -> list[Any]:
    """What the builders make of `blocks`, in order: `branch` and `repeat` get their inner blocks already built, so
    every code writer (the built function, reproduce scripts) follows the blocks the same way."""
    built: list[Any] = []
    for block in blocks:
        if isinstance(block, Statement):
            built += statement(block)
        elif isinstance(block, Branch):
            built += branch(
                block, fold(block.body, statement, branch, repeat), fold(block.orelse, statement, branch, repeat)
            )
        else:
            built += repeat(block, fold(block.body, statement, branch, repeat))
    return built
