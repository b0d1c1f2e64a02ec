"""The shared parts of every 'Reproduce this' script: header, inputs, and the program's checked statements.

Scripts are assembled from checked material only: the program's statements are re-emitted from their checked
syntax tree (never the learner's raw text, whose comments could hold anything), values go through repr(), and
every routine a script runs is real code copied by core.script_source (core's own demos and models, and
core/script_parts). Nothing here runs a script; the learner does, on their machine.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

import torch

from core.program import INPUT_NAMES, Program
from core.program_core import python
from core.program_core.blocks import fold
from core.program_core.nodes import Expr
from core.script_source import Import, import_lines
from core.settings import Settings
from core.tensors import parse_values

THREADS_NOTE = "# the thread count the page measured with; remove this line to use torch's default"


def header(title: str, settings: Settings, extra: dict[str, object], imports: Iterable[Import] = ()) -> list[str]:
    """The docstring naming the page and its settings, the imports (torch and `imports`, as core.script_source
    orders them), threads, device, dtype and seed."""
    described = {"device": settings.device, "dtype": settings.dtype, "seed": settings.seed, **extra}
    return [
        f'"""Eager Lab, {title}: reproduced as a standalone script (needs only torch).',
        "",
        "Made with torch " + torch.__version__ + ". Settings:",
        *(f"    {name} = {value!r}" for name, value in described.items()),
        '"""',
        "",
        *import_lines([Import(module="torch"), *imports]),
        "",
        THREADS_NOTE,
        f"torch.set_num_threads({settings.threads})",
        f"DEVICE, DTYPE, SEED = {settings.device!r}, torch.{settings.dtype}, {settings.seed}",
        "_print, _type, _float = print, type, float  # the program may give these names to its own tensors",
        "",
    ]


def input_lines(values: str | None, n: int | str, names: Sequence[str]) -> list[str]:
    """x typed or drawn from the seed (on the CPU, so every device sees the same numbers), then w and b."""
    if values is not None:
        numbers = ", ".join(repr(v) for v in parse_values(values))
        lines = [f"x = torch.tensor([{numbers}], dtype=DTYPE, device=DEVICE)"]
    else:
        lines = [
            f"x = torch.randn({n}, generator=torch.Generator().manual_seed(SEED), dtype=torch.float32)",
            "x = x.to(device=DEVICE, dtype=DTYPE)",
        ]
    for offset, name in enumerate(INPUT_NAMES[1:], 1):
        if name in names:
            lines += [
                f"{name} = torch.randn(x.shape, generator=torch.Generator().manual_seed((SEED + {offset}) % 2**63))",
                f"{name} = {name}.to(device=x.device, dtype=x.dtype)",
            ]
    return lines


def _code(expression: Expr) -> str:
    """A lowered expression as script code: a float conversion is `_float(...)` (the header binds _float = float)."""
    return ast.unparse(python.expression(expression, lambda node: ast.Call(ast.Name("_float", ast.Load()), [node], [])))


def statement_lines(program: Program, count: int | None = None, after=None) -> list[str]:
    """The program as code, written from its checked, lowered form: its blocks indented as written, or, with
    `count`, the first `count` statements of a program without blocks. `after(statement)` adds lines after each
    assignment, at its indentation."""
    if count is not None:
        return [f"{s.target} = {_code(s.lowered)}" for s in program.statements[:count]]
    return _block_lines(program.body, after or (lambda statement: []))


def _block_lines(blocks, after) -> list[str]:
    """The blocks as lines, each block's own lines indented under its header."""

    def indented(lines: list[str]) -> list[str]:
        return [f"    {line}" for line in lines]

    def statement(block) -> list[str]:
        return [f"{block.target} = {_code(block.lowered)}", *after(block)]

    def branch(block, body: list[str], orelse: list[str]) -> list[str]:
        otherwise = ["else:", *indented(orelse)] if block.orelse else []
        return [f"if {_code(block.lowered)}:", *indented(body), *otherwise]

    def repeat(block, body: list[str]) -> list[str]:
        return [f"for {block.variable} in range({block.count}):", *indented(body)]

    return fold(blocks, statement, branch, repeat)
