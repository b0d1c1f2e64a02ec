"""The learner's checked Program as a real Python function, the only form `torch.compile` and `torch.export` can take.

Dynamo compiles Python bytecode, so an interpreter walking the program would show Dynamo's view of the interpreter,
not of the program. The function is written from the *checked* program's lowered form (core.program admits only
assignments, allow-listed expressions, `if` and `for i in range(k)`; core.program_core.python writes the syntax),
checked node by node against an allow-list again, and turned into a code object with `compile()` on that very tree:
the learner's text itself never reaches `compile`, and the module's code is never run (the function's code object is
taken from it). It names only `torch` (the checker allows `torch.<allowed function>` and nothing else of it), `range`
and its own variables.
Lines keep the learner's numbers, so Dynamo's graph breaks and errors point at the learner's own lines.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import linecache
import types
from collections.abc import Callable
from dataclasses import dataclass

import torch

from core.program import Program
from core.program_core import python
from core.program_core.lower import lower
from core.program_core.python import at_line

FUNCTION_NAME = "program"
# the node types a built function may contain: what the checker admits, plus the def/return/call scaffolding
_ALLOWED_NODES = (
    ast.Module,
    ast.FunctionDef,
    ast.arguments,
    ast.arg,
    ast.Return,
    ast.Tuple,
    ast.Assign,
    ast.If,
    ast.For,
    ast.Name,
    ast.Load,
    ast.Store,
    ast.Constant,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.Call,
    ast.Attribute,
    ast.keyword,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
)


@dataclass(frozen=True, kw_only=True)
class BuiltFunction:
    """A program as a Python function: the callable, its file name in tracebacks, and the code it was built as."""

    function: Callable[..., torch.Tensor]
    filename: str
    code: str  # the function as Python, re-emitted from the tree it was built from (what the page shows)
    inputs: tuple[str, ...]


def program_function(program: Program) -> BuiltFunction:
    """`def program(<inputs>): <the program's blocks>; return <output>` with the learner's line numbers."""
    body = [*python.statements(program.body, _as_float), _return(program.output, program)]
    return build(program, body)


def build(program: Program, body: list[ast.stmt], name: str = FUNCTION_NAME) -> BuiltFunction:
    """Wrap `body` in `def name(<program inputs>):`, check every node against the allow-list, compile the tree."""
    arguments = ast.arguments(
        posonlyargs=[], args=[ast.arg(n) for n in program.inputs], kwonlyargs=[], kw_defaults=[], defaults=[]
    )
    function = ast.FunctionDef(name=name, args=arguments, body=body, decorator_list=[], returns=None)
    function.lineno = 1
    module = ast.Module([function], [])
    ast.fix_missing_locations(module)
    check_tree(module)
    filename = _register_source(program)
    # the module's code is never run: the function's own code object is taken from its constants
    (code,) = [c for c in compile(module, filename, "exec").co_consts if isinstance(c, types.CodeType)]
    # Dynamo's guards read builtins such as len(); the code itself names only torch, range and its own variables
    function = types.FunctionType(code, {"torch": torch, "__builtins__": builtins}, name)
    return BuiltFunction(function=function, filename=filename, code=ast.unparse(module), inputs=program.inputs)


def check_tree(tree: ast.AST) -> None:
    """Refuse any node outside the allow-list, any call but `range(...)` and `<expr>.<allowed function>(...)`, and any
    name read that the tree does not itself bind (so no builtin other than range is reachable)."""
    from core.program import ALLOWED_FUNCTIONS

    bound = {"torch", "range"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef):
            bound.add(node.name)
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(f"node {type(node).__name__} is not allowed in a built function")
        # torch.cond and .clone() appear only in the torch.cond rewrite, which writes them itself
        if isinstance(node, ast.Attribute) and node.attr not in ALLOWED_FUNCTIONS | {"cond", "clone"}:
            raise ValueError(f"attribute {node.attr} is not allowed in a built function")
        if isinstance(node, ast.Call) and not isinstance(node.func, ast.Attribute) and not _is_range(node.func):
            raise ValueError("only range() and allowed functions may be called in a built function")
        if isinstance(node, ast.Name) and (node.id.startswith("_") or node.id not in bound):
            raise ValueError(f"name {node.id} is not bound in a built function")


def _is_range(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "range"


def _register_source(program: Program) -> str:
    """A file name for the learner's text, registered with linecache so tracebacks and Dynamo quote its lines."""
    digest = hashlib.sha256(program.text.encode()).hexdigest()[:10]
    filename = f"<program {digest}>"
    lines = [line + "\n" for line in program.text.splitlines()]
    linecache.cache[filename] = (len(program.text), None, lines, filename)
    return filename


def float_powers(expression: ast.expr, numbers: set[str]) -> ast.expr:
    """A copy of a checked `expression` whose powers of plain numbers compute in float, as the eager interpreter does
    (the base itself becomes `(base) * 1.0`); `numbers` are the loop counters."""
    return python.expression(lower(expression, frozenset(numbers)), _as_float)


def _as_float(node: ast.expr) -> ast.expr:
    return ast.BinOp(node, ast.Mult(), ast.Constant(1.0))


def assign(target: str, expression: ast.expr, line: int, numbers: set[str] = frozenset()) -> ast.Assign:
    return python.assign(target, lower(expression, frozenset(numbers)), line, _as_float)


def _return(name: str, program: Program) -> ast.Return:
    last = max(line for line, *_ in program.listing() if line is not None)
    return at_line(ast.Return(ast.Name(name, ast.Load())), last)
