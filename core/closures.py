"""A checked Program turned into nested Python closures, once, for fast repeated evaluation.

No source text is generated: each AST node becomes a small function that calls its children. The same
Program compiles against torch (for tensors, whole or one element at a time) or against plain-float
math, so the loop implementations run exactly the learner's statements.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import torch

from core.program import COMPARE as _COMPARE
from core.program import UNARY as _UNARY
from core.program import Program, walk

Env = dict[str, Any]
Node = Callable[[Env], Any]


@dataclass(frozen=True)
class Namespace:
    """The arithmetic, comparisons and named functions a compiled program calls."""

    binary: Mapping[type, Callable[[Any, Any], Any]]
    unary: Mapping[type, Callable[[Any], Any]]
    compare: Mapping[type, Callable[[Any, Any], Any]]
    functions: Mapping[str, Callable[..., Any]]


def _power(base, exponent):
    """Powers of plain numbers in float, as the interpreter does, so they can never grow without bound."""
    if isinstance(base, int) and isinstance(exponent, int | float):
        base = float(base)
    return operator.pow(base, exponent)


TORCH = Namespace(
    binary={
        ast.Add: operator.add,
        ast.Sub: operator.sub,
        ast.Mult: operator.mul,
        ast.Div: operator.truediv,
        ast.Pow: _power,
        ast.MatMult: operator.matmul,
    },
    unary=_UNARY,
    compare=_COMPARE,
    functions={
        name: getattr(torch, name)
        for name in ("sin cos exp log sqrt abs tanh sigmoid relu sum mean max min clamp where".split())
    },
)


def _float_div(a: float, b: float) -> float:
    """IEEE division, as torch does it: x/0 is ±inf (or nan), never an exception."""
    try:
        return a / b
    except ZeroDivisionError:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1.0, b)


def _float_pow(a: float, b: float) -> float:
    try:
        result = float(a) ** b
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        return math.inf
    return math.nan if isinstance(result, complex) else result


def _guard(function: Callable[[float], float]) -> Callable[[float], float]:
    """Map math's domain and range errors to what torch returns: nan or inf."""

    def safe(value: float) -> float:
        try:
            return function(value)
        except ValueError:
            return -math.inf if value == 0 else math.nan
        except OverflowError:
            return math.inf

    return safe


def _sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


def _clamp(v: float, min: float | None = None, max: float | None = None) -> float:  # noqa: A002 - torch's names
    if min is not None and v < min:
        v = min
    if max is not None and v > max:
        v = max
    return v


FLOATS = Namespace(
    binary={
        ast.Add: operator.add,
        ast.Sub: operator.sub,
        ast.Mult: operator.mul,
        ast.Div: _float_div,
        ast.Pow: _float_pow,
    },
    unary=_UNARY,
    compare=_COMPARE,
    functions={
        "sin": math.sin,
        "cos": math.cos,
        "exp": _guard(math.exp),
        "log": _guard(math.log),
        "sqrt": _guard(math.sqrt),
        "abs": abs,
        "tanh": math.tanh,
        "sigmoid": _sigmoid,
        "relu": lambda v: v if v > 0 else 0.0,
        "clamp": _clamp,
        "where": lambda condition, a, b: a if condition else b,
        "max": max,  # only the elementwise two-argument forms reach a float loop
        "min": min,
    },
)


def compile_program(program: Program, namespace: Namespace) -> Callable[[Env], Env]:
    """A function that runs the program over an environment of inputs and returns the full environment.

    A program without blocks runs as a flat list (the loops page times it per element); `if`/`for` blocks go
    through core.program.walk, the same walker the eager run uses, with an `if` decided by Python's bool().
    """
    if not program.has_control_flow:
        statements = [(s.target, _compile(s.expression, namespace)) for s in program.statements]

        def run_flat(inputs: Env) -> Env:
            env = dict(inputs)
            for target, expression in statements:
                env[target] = expression(env)
            return env

        return run_flat
    expressions = {id(s): _compile(s.expression, namespace) for s in program.statements}
    conditions = {id(b): _compile(b.condition, namespace) for b in program.branches}

    def on_statement(statement, env, context) -> None:
        env[statement.target] = expressions[id(statement)](env)

    def on_branch(branch, env, context) -> bool:
        return bool(conditions[id(branch)](env))

    def run_blocks(inputs: Env) -> Env:
        env = dict(inputs)
        walk(program.body, env, on_statement, on_branch)
        return env

    return run_blocks


def _compile(node: ast.expr, ns: Namespace) -> Node:
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda env: value
    if isinstance(node, ast.Name):
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ast.BinOp):
        op, left, right = ns.binary[type(node.op)], _compile(node.left, ns), _compile(node.right, ns)
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.UnaryOp):
        op, operand = ns.unary[type(node.op)], _compile(node.operand, ns)
        return lambda env: op(operand(env))
    if isinstance(node, ast.Compare):
        op, left, right = ns.compare[type(node.ops[0])], _compile(node.left, ns), _compile(node.comparators[0], ns)
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.Call):
        return _compile_call(node, ns)
    raise TypeError(f"unchecked node {type(node).__name__}")  # parse_program admits none of these


def _compile_call(node: ast.Call, ns: Namespace) -> Node:
    function = ns.functions[node.func.attr]
    args = [_compile(a, ns) for a in node.args]
    kwargs = {k.arg: _compile(k.value, ns) for k in node.keywords}
    owner = node.func.value
    if not (isinstance(owner, ast.Name) and owner.id == "torch"):
        receiver = _compile(owner, ns)
        if node.func.attr == "where":  # t.where(condition, other) is torch.where(condition, t, other)
            args = [args[0], receiver, *args[1:]]
        else:
            args = [receiver, *args]
    return lambda env: function(*(a(env) for a in args), **{k: v(env) for k, v in kwargs.items()})
