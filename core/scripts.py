"""The shared parts of every 'Reproduce this' script: header, inputs, and the program's checked statements.

Scripts are assembled from checked material only: the program's statements are re-emitted from their checked
syntax tree (never the learner's raw text, whose comments could hold anything), values go through repr(), and
demo functions are core's own source. Nothing here runs a script; the learner does, on their machine.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Sequence

import torch

from core.program import INPUT_NAMES, Branch, FloatPowers, Program, Statement, loop_variables
from core.settings import Settings
from core.tensors import parse_values

THREADS_NOTE = "# the thread count the page measured with; remove this line to use torch's default"


def header(title: str, settings: Settings, extra: dict[str, object]) -> list[str]:
    """The docstring naming the page and its settings, the import, threads, device, dtype and seed."""
    described = {"device": settings.device, "dtype": settings.dtype, "seed": settings.seed, **extra}
    return [
        f'"""Eager Lab, {title}: reproduced as a standalone script (needs only torch).',
        "",
        "Made with torch " + torch.__version__ + ". Settings:",
        *(f"    {name} = {value!r}" for name, value in described.items()),
        '"""',
        "",
        "import torch",
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


def _code(expression: ast.expr, numbers: frozenset[str] = frozenset()) -> str:
    floats = FloatPowers(set(numbers), lambda node: ast.Call(ast.Name("_float", ast.Load()), [node], []))
    return ast.unparse(floats.visit(copy.deepcopy(expression)))


def statement_lines(program: Program, count: int | None = None, after=None) -> list[str]:
    """The program as code, re-emitted from the checked syntax tree: its blocks indented as written, or, with
    `count`, the first `count` statements of a program without blocks. `after(statement)` adds lines after each
    assignment, at its indentation."""
    if count is not None:
        return [f"{s.target} = {_code(s.expression)}" for s in program.statements[:count]]
    numbers = frozenset(loop_variables(program.body))
    return _block_lines(program.body, "", after or (lambda statement: []), numbers)


def _block_lines(blocks, indent: str, after, numbers: frozenset[str]) -> list[str]:
    lines = []
    inner = indent + "    "
    for block in blocks:
        if isinstance(block, Statement):
            lines.append(f"{indent}{block.target} = {_code(block.expression, numbers)}")
            lines += [f"{indent}{extra}" for extra in after(block)]
        elif isinstance(block, Branch):
            lines.append(f"{indent}if {_code(block.condition, numbers)}:")
            lines += _block_lines(block.body, inner, after, numbers)
            if block.orelse:
                lines.append(f"{indent}else:")
                lines += _block_lines(block.orelse, inner, after, numbers)
        else:
            lines.append(f"{indent}for {block.variable} in range({block.count}):")
            lines += _block_lines(block.body, inner, after, numbers)
    return lines
