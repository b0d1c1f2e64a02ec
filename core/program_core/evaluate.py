"""The one evaluator: a lowered expression turned, once, into nested closures over a namespace of operations.

No source text is generated: each node becomes a small function that calls its children. The namespace decides what
the operations are: torch for tensors (whole, one element at a time, or fx Proxies while tracing) or plain-float
math; the interpreter's namespace (core.program) also makes every call as Python would, checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.program_core import operators
from core.program_core.nodes import Binary, Call, Compare, Constant, Expr, Name, ToFloat, Unary

Env = Mapping[str, Any]
Closure = Callable[[Env], Any]


@dataclass(frozen=True, kw_only=True)
class Namespace:
    """The arithmetic, comparisons and named functions a lowered expression calls, by operator and function name.

    With `bind`, a call is Python's own on what it was written on, `bind(call)(receiver)(*args, **kwargs)` (receiver
    None for `torch.f(...)`); without, `functions[f](receiver, *args)`, the receiver first as torch's functions take it.
    """

    binary: Mapping[str, Callable[[Any, Any], Any]]
    unary: Mapping[str, Callable[[Any], Any]]
    compare: Mapping[str, Callable[[Any, Any], Any]]
    functions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    bind: Callable[[Call], Callable[[Any], Callable[..., Any]]] | None = None


def closure(node: Expr, ns: Namespace) -> Closure:
    """A function of the environment (name -> value) that computes `node` with `ns`'s operations."""
    if isinstance(node, Constant):
        value = node.value
        return lambda env: value
    if isinstance(node, Name):
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ToFloat):
        operand = closure(node.operand, ns)
        return lambda env: float(operand(env))
    if isinstance(node, Binary):
        op = (operators.BINARY if node.numbers else ns.binary)[node.op]
        left, right = closure(node.left, ns), closure(node.right, ns)
        return lambda env: op(left(env), right(env))
    if isinstance(node, Unary):
        op, operand = ns.unary[node.op], closure(node.operand, ns)
        return lambda env: op(operand(env))
    if isinstance(node, Compare):
        op, left, right = ns.compare[node.op], closure(node.left, ns), closure(node.right, ns)
        return lambda env: op(left(env), right(env))
    return _call(node, ns)


def _call(node: Call, ns: Namespace) -> Closure:
    args = [closure(a, ns) for a in node.args]
    kwargs = {name: closure(value, ns) for name, value in node.keywords}
    if ns.bind is not None:
        bind, receiver = ns.bind(node), _receiver(node, ns)
        # the callee first, then the arguments: a receiver that cannot be called on is refused before they run
        return lambda env: bind(receiver(env))(*[a(env) for a in args], **{k: v(env) for k, v in kwargs.items()})
    function = ns.functions[node.function]
    if node.receiver is not None:
        receiver = closure(node.receiver, ns)
        # t.where(condition, other) is torch.where(condition, t, other); any other t.f(...) is torch.f(t, ...)
        args = [args[0], receiver, *args[1:]] if node.function == "where" else [receiver, *args]
    return lambda env: function(*(a(env) for a in args), **{k: v(env) for k, v in kwargs.items()})


def _receiver(node: Call, ns: Namespace) -> Closure:
    return (lambda env: None) if node.receiver is None else closure(node.receiver, ns)
