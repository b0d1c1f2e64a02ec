"""A checked Program turned into nested Python closures, once, for fast repeated evaluation.

The closures are the program core's (core.program_core.evaluate) over the program's lowered expressions; here are
the namespaces the loop implementations run them with: torch (tensors, whole or one element at a time) and
plain-float math that answers as torch does, so the loops run exactly the learner's statements.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from core.program import ALLOWED_FUNCTIONS, Program, walk
from core.program_core import operators
from core.program_core.evaluate import Namespace, closure

Env = dict[str, Any]

TORCH = Namespace(
    binary=operators.BINARY,
    unary=operators.UNARY,
    compare=operators.COMPARE,
    functions={name: getattr(torch, name) for name in sorted(ALLOWED_FUNCTIONS)},
)


def _float_div(a: float, b: float) -> float:
    """IEEE division, as torch does it: x/0 is ±inf (or nan), never an exception."""
    try:
        return a / b
    except ZeroDivisionError:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1.0, b)


def _float_pow(a: float, b: float) -> float:
    """A power as torch takes it: an exponent of ±0.5 through the square root (sqrt(-inf) is nan), a result too
    large or divided by zero as IEEE's infinity (signed for an odd exponent), a complex one as nan."""
    if b in (0.5, -0.5):
        root = _sqrt(a)
        return root if b > 0 else _float_div(1.0, root)
    try:
        result = float(a) ** b
    except (ZeroDivisionError, OverflowError):
        if a < 0 and not float(b).is_integer():
            return math.nan
        return math.copysign(math.inf, a) if float(b).is_integer() and int(b) % 2 else math.inf
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


_sqrt = _guard(math.sqrt)


def _sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


def _clamp(v: float, min: float | None = None, max: float | None = None) -> float:  # noqa: A002 - torch's names
    if min is not None and v < min:
        v = min
    if max is not None and v > max:
        v = max
    return v


FLOATS = Namespace(  # arithmetic between plain numbers stays Python's own (core.program_core.lower)
    binary={
        **{name: f for name, f in operators.BINARY.items() if name != "MatMult"},
        "Div": _float_div,
        "Pow": _float_pow,
    },
    unary=operators.UNARY,
    compare=operators.COMPARE,
    functions={
        "sin": _guard(math.sin),
        "cos": _guard(math.cos),
        "exp": _guard(math.exp),
        "log": _guard(math.log),
        "sqrt": _sqrt,
        "abs": abs,
        "tanh": math.tanh,
        "sigmoid": _sigmoid,
        "relu": lambda v: v if v > 0 or v != v else 0.0,  # nan stays nan, as in torch
        "clamp": _clamp,
        "where": lambda condition, a, b: a if condition else b,
        "max": lambda a, b: a if a > b or a != a else b,  # only the elementwise two-argument forms reach a float
        "min": lambda a, b: a if a < b or a != a else b,  # loop; a nan on either side is the answer, as in torch
    },
)


def compile_program(program: Program, namespace: Namespace) -> Callable[[Env], Env]:
    """A function that runs the program over an environment of inputs and returns the full environment.

    A program without blocks runs as a flat list (the loops page times it per element); `if`/`for` blocks go
    through core.program.walk, the same walker the eager run uses, with an `if` decided by Python's bool().
    """
    if not program.has_control_flow:
        statements = [(s.target, closure(s.lowered, namespace)) for s in program.statements]

        def run_flat(inputs: Env) -> Env:
            env = dict(inputs)
            for target, expression in statements:
                env[target] = expression(env)
            return env

        return run_flat
    expressions = {id(s): closure(s.lowered, namespace) for s in program.statements}
    conditions = {id(b): closure(b.lowered, namespace) for b in program.branches}

    def on_statement(statement, env, context) -> None:
        env[statement.target] = expressions[id(statement)](env)

    def on_branch(branch, env, context) -> bool:
        return bool(conditions[id(branch)](env))

    def run_blocks(inputs: Env) -> Env:
        env = dict(inputs)
        walk(program.body, env, on_statement, on_branch)
        return env

    return run_blocks
