"""The program language's operators, named as `ast` names their node classes, and Python's own function for each."""

from __future__ import annotations

import operator

BINARY = {
    "Add": operator.add,
    "Sub": operator.sub,
    "Mult": operator.mul,
    "Div": operator.truediv,
    "Pow": operator.pow,
    "MatMult": operator.matmul,
}
UNARY = {"USub": operator.neg, "UAdd": operator.pos}
COMPARE = {
    "Gt": operator.gt,
    "GtE": operator.ge,
    "Lt": operator.lt,
    "LtE": operator.le,
    "Eq": operator.eq,
    "NotEq": operator.ne,
}
