"""The Program: a few assignment statements over named tensors, parsed against an allow-list and run eagerly.

The text is parsed with `ast` and every node is checked before anything runs; evaluation walks the
checked tree itself, so user text never reaches eval, exec or compile.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field

import torch
from torch import fx

from core.limits import is_out_of_memory, worker_memory_mib

MAX_TEXT_CHARS = 1000
MAX_STATEMENTS = 12
MAX_NODES = 300
MAX_DEPTH = 20
MAX_CONSTANT = 1_000_000
MAX_EXPONENT = 10

ALLOWED_FUNCTIONS = frozenset("sin cos exp log sqrt abs tanh sigmoid relu sum mean max min clamp where".split())
ALLOWED_KEYWORDS = frozenset({"dim", "keepdim", "min", "max"})
RESERVED_NAMES = frozenset({"torch"})

DEFAULT_PROGRAM = "y = x * 2 + 5\nz = y ** 2 - 10"
# x is the learner's tensor; w and b are optional extra inputs of x's shape, drawn from the seed.
INPUT_NAMES = ("x", "w", "b")

BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.MatMult: operator.matmul,
}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
COMPARE = {
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class ProgramError(ValueError):
    """A program was refused or failed; `code` and `params` let the page write the reason in any language.

    `line` and `column` are 1-based; `column` is 0 where the error concerns the whole text.
    """

    def __init__(self, code: str, line: int = 0, column: int = 0, **params: object) -> None:
        self.code = code
        self.line = line
        self.column = column
        self.params = params
        super().__init__(f"{code} at line {line}, column {column}: {params}")

    def __reduce__(self):  # so a worker's refusal reaches the page with its code and params intact
        return (functools.partial(ProgramError, **self.params), (self.code, self.line, self.column))


@dataclass(frozen=True)
class Statement:
    """One checked assignment: `target = expression`, with its 1-based line and its source text."""

    target: str
    expression: ast.expr = field(repr=False, compare=False)
    line: int
    source: str


@dataclass(frozen=True)
class Program:
    """A checked program: its statements and the input names it reads before assigning them."""

    text: str
    statements: tuple[Statement, ...]
    inputs: tuple[str, ...]

    @property
    def targets(self) -> tuple[str, ...]:
        """Assigned names in first-assignment order."""
        return tuple(dict.fromkeys(s.target for s in self.statements))


@dataclass(frozen=True)
class StepResult:
    """What one executed statement produced, with the attributes a learner inspects."""

    index: int
    line: int
    source: str
    target: str
    tensor: torch.Tensor | None = field(repr=False, compare=False)  # None once a view has dropped it
    shape: tuple[int, ...]
    dtype: str
    device: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    printed: str  # exactly what print(tensor) writes
    nan: int = 0  # how many elements are NaN, and how many ±inf: the page says where they came from
    inf: int = 0


@dataclass(frozen=True)
class ProgramTrace:
    """The statements run so far, in order; `env` holds every name's current tensor.

    `error` is the PyTorch failure that stopped the run at the next statement, if one did.
    """

    program: Program
    steps: tuple[StepResult, ...]
    env: Mapping[str, torch.Tensor] = field(repr=False, compare=False)
    error: ProgramError | None = None

    @property
    def finished(self) -> bool:
        return len(self.steps) == len(self.program.statements)


def parse_program(text: str, inputs: tuple[str, ...] = INPUT_NAMES) -> Program:
    """Check `text` against the allow-list and limits; raise ProgramError on the first problem.

    Args:
        text: statements, one per line; blank lines and `#` comments are ignored.
        inputs: names the caller will provide.
    Returns:
        The checked Program.
    Raises:
        ProgramError: with the line and column of the first problem found.
    """
    if not isinstance(text, str) or not text.strip():
        raise ProgramError("empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ProgramError("too_long", limit=MAX_TEXT_CHARS)
    try:
        module = ast.parse(text, mode="exec")
    except SyntaxError as exc:
        raise ProgramError("syntax", exc.lineno or 0, exc.offset or 0, detail=exc.msg) from None
    except (ValueError, RecursionError, MemoryError):
        raise ProgramError("syntax", detail="unparsable") from None
    if not module.body:
        raise ProgramError("empty")
    if len(module.body) > MAX_STATEMENTS:
        raise ProgramError("too_many_statements", module.body[MAX_STATEMENTS].lineno, limit=MAX_STATEMENTS)
    _check_size(module)
    defined = set(inputs)
    used_inputs: list[str] = []
    statements = []
    for node in module.body:
        target = _check_assignment(node)
        _check_expression(node.value, defined, used_inputs, set(inputs))
        defined.add(target)
        source = " ".join((ast.get_source_segment(text, node) or ast.unparse(node)).split())
        statements.append(Statement(target, node.value, node.lineno, source))
    return Program(text, tuple(statements), tuple(dict.fromkeys(used_inputs)))


def _check_size(module: ast.Module) -> None:
    count = 0
    stack = [(module, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ProgramError("too_many_nodes", limit=MAX_NODES)
        if depth > MAX_DEPTH:
            raise ProgramError(
                "too_deep", getattr(node, "lineno", 0), getattr(node, "col_offset", -1) + 1, limit=MAX_DEPTH
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _check_assignment(node: ast.stmt) -> str:
    if not isinstance(node, ast.Assign):
        raise ProgramError("not_assignment", node.lineno, node.col_offset + 1)
    if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        raise ProgramError("bad_target", node.lineno, node.col_offset + 1)
    name = node.targets[0].id
    _check_name_allowed(name, node.targets[0])
    return name


def _check_name_allowed(name: str, node: ast.AST) -> None:
    if name.startswith("_") or name in RESERVED_NAMES:
        raise ProgramError("reserved_name", node.lineno, node.col_offset + 1, name=name)


def _where(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset + 1


def _check_expression(node: ast.expr, defined: set[str], used_inputs: list[str], inputs: set[str]) -> None:
    """Recursively check one expression against the allow-list (depth is bounded by _check_size)."""

    def check(child: ast.expr) -> None:
        _check_expression(child, defined, used_inputs, inputs)

    if isinstance(node, ast.Constant):
        _check_constant(node)
    elif isinstance(node, ast.Name):
        _check_name_allowed(node.id, node)
        if node.id not in defined:
            raise ProgramError("unknown_name", *_where(node), name=node.id)
        if node.id in inputs:
            used_inputs.append(node.id)
    elif isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        if isinstance(node.op, ast.Pow):
            _check_exponent(node.right)
        check(node.left)
        check(node.right)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        check(node.operand)
    elif isinstance(node, ast.Compare) and all(type(op) in COMPARE for op in node.ops):
        if len(node.ops) != 1:
            raise ProgramError("chained_comparison", *_where(node))
        check(node.left)
        check(node.comparators[0])
    elif isinstance(node, ast.Call):
        _check_call(node, check, defined)
    else:
        raise ProgramError("forbidden", *_where(node), what=type(node).__name__)


def _check_constant(node: ast.Constant) -> None:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProgramError("forbidden", *_where(node), what=type(value).__name__)
    if abs(value) > MAX_CONSTANT:
        raise ProgramError("constant_too_large", *_where(node), limit=MAX_CONSTANT)


def _check_exponent(node: ast.expr) -> None:
    """Exponents are plain numbers, small enough that no power can explode."""
    inner = node.operand if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY else node
    if (
        not isinstance(inner, ast.Constant)
        or isinstance(inner.value, bool)
        or not isinstance(inner.value, (int, float))
    ):
        raise ProgramError("exponent_not_number", *_where(node))
    if abs(inner.value) > MAX_EXPONENT:
        raise ProgramError("exponent_too_large", *_where(node), limit=MAX_EXPONENT)


def _check_call(node: ast.Call, check, defined: set[str]) -> None:
    """`torch.f(...)`, or `expr.f(...)` on an allowed expression, with f from ALLOWED_FUNCTIONS."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        raise ProgramError("forbidden_call", *_where(node))
    if func.attr not in ALLOWED_FUNCTIONS:
        raise ProgramError("unknown_function", *_where(func), name=func.attr)
    if not _is_torch(func.value):
        check(func.value)
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise ProgramError("forbidden", *_where(arg), what="Starred")
        check(arg)
    for keyword in node.keywords:
        if keyword.arg == "dim" and func.attr in {"max", "min"}:  # values and indices: the same refusal as x.max(0)
            raise ProgramError("call_result", *_where(node), name=func.attr)
        if keyword.arg not in ALLOWED_KEYWORDS:
            raise ProgramError("bad_keyword", *_where(keyword.value), name=keyword.arg or "**")
        if (
            keyword.arg == "keepdim"
            and isinstance(keyword.value, ast.Constant)
            and isinstance(keyword.value.value, bool)
        ):
            continue  # True/False are allowed here and nowhere else
        check(keyword.value)


def _is_torch(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "torch"


def evaluate(node: ast.expr, env: Mapping[str, object], line: int) -> object:
    """Evaluate a checked expression over `env` (tensors or fx Proxies); PyTorch errors become ProgramError.

    Running out of memory (Python's MemoryError, or the allocator refusing under the worker's memory limit)
    becomes ProgramError("memory") naming that limit: the line is what asked for it.
    """
    try:
        return _evaluate(node, env)
    except ProgramError:
        raise
    except (MemoryError, RuntimeError) as exc:
        if is_out_of_memory(exc):
            raise ProgramError("memory", line, 0, limit_mib=worker_memory_mib()) from None
        raise ProgramError("runtime", line, 0, detail=str(exc)) from None
    except (TypeError, ValueError, IndexError, ZeroDivisionError, OverflowError, AttributeError) as exc:
        raise ProgramError("runtime", line, 0, detail=str(exc)) from None


def _evaluate(node: ast.expr, env: Mapping[str, object]) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, env), _evaluate(node.right, env)
        if isinstance(node.op, ast.Pow) and _is_number(left) and _is_number(right):
            left = float(left)  # powers of plain numbers stay floats so they can never grow without bound
        return BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return UNARY[type(node.op)](_evaluate(node.operand, env))
    if isinstance(node, ast.Compare):
        return COMPARE[type(node.ops[0])](_evaluate(node.left, env), _evaluate(node.comparators[0], env))
    if isinstance(node, ast.Call):
        owner = torch if _is_torch(node.func.value) else _evaluate(node.func.value, env)
        if owner is not torch and not isinstance(owner, torch.Tensor | fx.Proxy):
            raise ProgramError("method_needs_tensor", node.lineno, node.col_offset + 1, name=node.func.attr)
        function = getattr(owner, node.func.attr)
        args = [_evaluate(a, env) for a in node.args]
        kwargs = {k.arg: _evaluate(k.value, env) for k in node.keywords}
        result = function(*args, **kwargs)
        if not isinstance(result, torch.Tensor | fx.Proxy):
            # e.g. x.max(0) or torch.where(c) give tuples, which * would repeat and == compare with no tensor
            # involved: refused here, before any other node can use them
            raise ProgramError("call_result", node.lineno, node.col_offset + 1, name=node.func.attr)
        return result
    raise ProgramError("forbidden", *_where(node), what=type(node).__name__)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def run_program(program: Program, inputs: Mapping[str, torch.Tensor], steps: int | None = None) -> ProgramTrace:
    """Run the first `steps` statements (all by default) eagerly, recording each result.

    A statement PyTorch refuses ("runtime", with PyTorch's own message) or that yields no tensor
    ("not_a_tensor") stops the run; the trace keeps the steps before it and the error.

    Raises:
        ProgramError: "missing_input" for an input not supplied.
    """
    count = len(program.statements) if steps is None else max(0, min(steps, len(program.statements)))
    for name in program.inputs:
        if name not in inputs:
            raise ProgramError("missing_input", name=name)
    env: dict[str, torch.Tensor] = dict(inputs)
    results = []
    for index, statement in enumerate(program.statements[:count]):
        try:
            value = evaluate(statement.expression, env, statement.line)
            if not isinstance(value, torch.Tensor):
                raise ProgramError("not_a_tensor", statement.line, 0, name=statement.target)
        except ProgramError as exc:
            return ProgramTrace(program, tuple(results), env, exc)
        env[statement.target] = value
        results.append(_step_result(index, statement, value))
    return ProgramTrace(program, tuple(results), env)


def _step_result(index: int, statement: Statement, value: torch.Tensor) -> StepResult:
    return StepResult(
        index=index,
        line=statement.line,
        source=statement.source,
        target=statement.target,
        tensor=value,
        shape=tuple(value.shape),
        dtype=str(value.dtype).removeprefix("torch."),
        device=str(value.device),
        requires_grad=value.requires_grad,
        is_leaf=value.is_leaf,
        grad_fn=type(value.grad_fn).__name__ if value.grad_fn is not None else None,
        printed=str(value),
        nan=int(value.isnan().sum()) if value.is_floating_point() else 0,
        inf=int(value.isinf().sum()) if value.is_floating_point() else 0,
    )
