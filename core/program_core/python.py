"""A lowered program as Python syntax: the built function's body for `compile()` and a reproduce script's code.

Only the writing of a float conversion differs between them (`as_float`): the built function names nothing but torch,
range and its own variables (`(v) * 1.0`), a script has `_float = float` (`_float(v)`). Nodes keep where the learner
wrote them, so tracebacks and Dynamo point at the learner's lines.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from core.program_core.blocks import Block, Branch, Repeat, Statement, fold
from core.program_core.nodes import NOWHERE, Binary, Compare, Constant, Expr, Name, Position, ToFloat, Unary

AsFloat = Callable[[ast.expr], ast.expr]


def expression(node: Expr, as_float: AsFloat) -> ast.expr:
    """The Python expression of a lowered one."""

    def write(child: Expr) -> ast.expr:
        return expression(child, as_float)

    if isinstance(node, Constant):
        tree: ast.expr = ast.Constant(node.value)
    elif isinstance(node, Name):
        tree = ast.Name(node.id, ast.Load())
    elif isinstance(node, ToFloat):
        return as_float(write(node.operand))
    elif isinstance(node, Unary):
        tree = ast.UnaryOp(getattr(ast, node.op)(), write(node.operand))
    elif isinstance(node, Binary):
        tree = ast.BinOp(write(node.left), getattr(ast, node.op)(), write(node.right))
    elif isinstance(node, Compare):
        tree = ast.Compare(write(node.left), [getattr(ast, node.op)()], [write(node.right)])
    else:
        owner = _placed(ast.Name("torch", ast.Load()), node.owner_at) if node.receiver is None else write(node.receiver)
        function = _placed(ast.Attribute(owner, node.function, ast.Load()), node.function_at)
        keywords = [ast.keyword(name, write(value)) for name, value in node.keywords]
        tree = ast.Call(function, [write(arg) for arg in node.args], keywords)
    return _placed(tree, node.at)


def statements(blocks: tuple[Block, ...], as_float: AsFloat) -> list[ast.stmt]:
    """The blocks as Python statements at the learner's lines: assignments, `if`/`else`, `for v in range(k)`."""

    def statement(block: Statement) -> list[ast.stmt]:
        return [assign(block.target, block.lowered, block.line, as_float)]

    def branch(block: Branch, body: list[ast.stmt], orelse: list[ast.stmt]) -> list[ast.stmt]:
        return [at_line(ast.If(expression(block.lowered, as_float), body, orelse), block.line)]

    def repeat(block: Repeat, body: list[ast.stmt]) -> list[ast.stmt]:
        loop_range = ast.Call(ast.Name("range", ast.Load()), [ast.Constant(block.count)], [])
        return [at_line(ast.For(ast.Name(block.variable, ast.Store()), loop_range, body, [], None), block.line)]

    return fold(blocks, statement, branch, repeat)


def assign(target: str, value: Expr, line: int, as_float: AsFloat) -> ast.Assign:
    return at_line(ast.Assign([ast.Name(target, ast.Store())], expression(value, as_float), None), line)


def at_line(node: ast.stmt, line: int) -> ast.stmt:
    """`node` at `line`, and every expression in it that stands nowhere yet."""
    node.lineno = node.end_lineno = line
    node.col_offset = node.end_col_offset = 0
    for child in ast.walk(node):
        if isinstance(child, ast.expr | ast.stmt) and not hasattr(child, "lineno"):
            child.lineno = child.end_lineno = line
            child.col_offset = child.end_col_offset = 0
    return node


def _placed(tree: ast.expr, at: Position) -> ast.expr:
    if at != NOWHERE:
        tree.lineno, tree.col_offset, tree.end_lineno, tree.end_col_offset = at
    return tree
