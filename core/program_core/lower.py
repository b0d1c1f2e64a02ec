"""Lowering: a checked expression's syntax tree into the core's normal form (core.program_core.nodes), once.

The language's rules about plain numbers are decided here and nowhere else: a name is a plain number when it is a
loop counter in scope; an expression is plain when every name in it is, and it calls nothing; arithmetic between
plain sides is Python's own; and the base of a power of plain numbers becomes a float, so `(10 ** 10) ** 10` can
never grow an unbounded int (powers' exponents are literal numbers, see core.program's checker), unless it holds such
a power already: then it is a float, or a complex from a negative base, which float() would refuse.
"""

from __future__ import annotations

import ast

from core.program_core.nodes import NOWHERE, Binary, Call, Compare, Constant, Expr, Name, Position, ToFloat, Unary


def lower(node: ast.expr, numbers: frozenset[str] = frozenset()) -> Expr:
    """The normal form of a checked expression; `numbers` are the loop counters in scope at it."""
    return _lower(node, numbers)[0]


def _lower(node: ast.expr, numbers: frozenset[str]) -> tuple[Expr, bool]:
    """The lowered node and whether it is plain (a number, never a tensor)."""
    at = position(node)
    if isinstance(node, ast.Constant):
        return Constant(value=node.value, at=at), True
    if isinstance(node, ast.Name):
        number = node.id in numbers
        return Name(id=node.id, number=number, at=at), number
    if isinstance(node, ast.UnaryOp):
        operand, plain = _lower(node.operand, numbers)
        return Unary(op=type(node.op).__name__, operand=operand, at=at), plain
    if isinstance(node, ast.BinOp):
        (left, left_plain), (right, right_plain) = _lower(node.left, numbers), _lower(node.right, numbers)
        plain = left_plain and right_plain
        if plain and isinstance(node.op, ast.Pow) and not _holds_power(left):
            left = ToFloat(operand=left)
        return Binary(op=type(node.op).__name__, left=left, right=right, numbers=plain, at=at), plain
    if isinstance(node, ast.Compare):
        (left, left_plain), (right, right_plain) = _lower(node.left, numbers), _lower(node.comparators[0], numbers)
        return Compare(op=type(node.ops[0]).__name__, left=left, right=right, at=at), left_plain and right_plain
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        owner = node.func.value
        is_torch = isinstance(owner, ast.Name) and owner.id == "torch"
        call = Call(
            function=node.func.attr,
            receiver=None if is_torch else lower(owner, numbers),
            args=tuple(lower(arg, numbers) for arg in node.args),
            keywords=tuple((keyword.arg, lower(keyword.value, numbers)) for keyword in node.keywords),
            at=at,
            function_at=position(node.func),
            owner_at=position(owner),
        )
        return call, False
    raise TypeError(f"unchecked node {type(node).__name__}")  # core.program's checker admits none of these


def _holds_power(node: Expr) -> bool:
    """A plain expression holding a power of plain numbers (its parts: constants, counters and operators)."""
    if isinstance(node, Binary):
        return node.op == "Pow" or _holds_power(node.left) or _holds_power(node.right)
    if isinstance(node, Compare):
        return _holds_power(node.left) or _holds_power(node.right)
    if isinstance(node, Unary | ToFloat):
        return _holds_power(node.operand)
    return False


def position(node: ast.AST) -> Position:
    """Where `node` stands in the learner's text, or nowhere for a node built by a rewrite."""
    if not hasattr(node, "lineno"):
        return NOWHERE
    return (node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0)
