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

from core.program import INPUT_NAMES, Program
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


class _FloatPowers(ast.NodeTransformer):
    """Powers of two plain numbers in float, as the page's interpreter computes them (an int power could grow
    without bound). A side with no name in it is a plain number: tensors only enter through names."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow) and not any(_has_name(side) for side in (node.left, node.right)):
            node.left = ast.Call(ast.Name("_float", ast.Load()), [node.left], [])
        return node


def _has_name(node: ast.AST) -> bool:
    return any(isinstance(child, ast.Name) for child in ast.walk(node))


def statement_lines(program: Program, count: int | None = None) -> list[str]:
    """The first `count` statements as code, re-emitted from the checked syntax tree."""
    chosen = program.statements if count is None else program.statements[:count]
    return [f"{s.target} = {ast.unparse(_FloatPowers().visit(copy.deepcopy(s.expression)))}" for s in chosen]
