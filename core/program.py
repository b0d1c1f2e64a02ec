"""The Program: a few assignment statements over named tensors, with bounded `if`/`else` and `for i in range(k)`
blocks, parsed against an allow-list and run eagerly.

The text is parsed with `ast` and every node is checked before anything runs; each checked expression is lowered
once into the program core's normal form (core.program_core), which evaluation runs as closures, so user text never
reaches eval, exec or compile.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import torch
from torch import fx

from core.limits import is_out_of_memory, worker_memory_mib
from core.parse_lock import PARSE_LOCK
from core.program_core import operators
from core.program_core.blocks import Block, Branch, Repeat, Statement, walk
from core.program_core.evaluate import Namespace, closure
from core.program_core.lower import lower
from core.program_core.nodes import Call, Expr
from core.program_core.python import expression as python_expression

MAX_TEXT_CHARS = 1000
MAX_STATEMENTS = 12
MAX_NODES = 300
MAX_DEPTH = 20
MAX_CONSTANT = 1_000_000
MAX_EXPONENT = 10
MAX_RANGE = 16  # for i in range(k): k is a whole number from 1 to this
MAX_BLOCK_DEPTH = 3  # if/for blocks inside each other
MAX_EXECUTED = 64  # assignments one run may execute, loops unrolled (checked before anything runs)

ALLOWED_FUNCTIONS = frozenset("sin cos exp log sqrt abs tanh sigmoid relu sum mean max min clamp where".split())
ALLOWED_KEYWORDS = frozenset({"dim", "keepdim", "min", "max"})
RESERVED_NAMES = frozenset({"torch", "range"})  # range: a loop must always mean the builtin

DEFAULT_PROGRAM = "y = x * 2 + 5\nz = y ** 2 - 10"
# x is the learner's tensor; w and b are optional extra inputs of x's shape, drawn from the seed.
INPUT_NAMES = ("x", "w", "b")

# the checker's allow-list of operators, by syntax node; core.program_core.operators names the same ones
BINARY = {getattr(ast, name): function for name, function in operators.BINARY.items()}
UNARY = {getattr(ast, name): function for name, function in operators.UNARY.items()}
COMPARE = {getattr(ast, name): function for name, function in operators.COMPARE.items()}


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


@dataclass(frozen=True, kw_only=True)
class Program:
    """A checked program: its blocks, every assignment in source order, and the input names it reads."""

    text: str
    statements: tuple[Statement, ...]  # every assignment in source order, inside blocks too
    inputs: tuple[str, ...]
    body: tuple[Block, ...] = ()  # the blocks as written; empty means the statements one after another

    def __post_init__(self) -> None:
        if not self.body:
            object.__setattr__(self, "body", self.statements)

    @property
    def targets(self) -> tuple[str, ...]:
        """Assigned names in first-assignment order."""
        return tuple(dict.fromkeys(s.target for s in self.statements))

    @property
    def output(self) -> str:
        """The name the program is read for: the target of its last assignment in source order."""
        return self.statements[-1].target

    @property
    def max_executed(self) -> int:
        """The most assignments one run executes (loops unrolled, the longer side of each if)."""
        return _executed_count(self.body)

    @property
    def has_control_flow(self) -> bool:
        return any(not isinstance(block, Statement) for block in self.body)

    def listing(self) -> tuple[tuple[int | None, int, str, frozenset[int]], ...]:
        """(line, depth, text, lines inside) per line as the program is laid out: assignments, block headers and
        `else:` (which carries no line of its own); a `for` header lists the lines of its body."""
        rows: list[tuple[int | None, int, str, frozenset[int]]] = []

        def add(blocks: tuple[Block, ...], depth: int) -> None:
            for block in blocks:
                inside = (
                    frozenset(b.line for b in _walk_blocks(block.body)) if isinstance(block, Repeat) else frozenset()
                )
                rows.append((block.line, depth, block.source, inside))
                if isinstance(block, Branch):
                    add(block.body, depth + 1)
                    if block.orelse:
                        rows.append((None, depth, "else:", frozenset()))
                        add(block.orelse, depth + 1)
                elif isinstance(block, Repeat):
                    add(block.body, depth + 1)

        add(self.body, 0)
        return tuple(rows)

    @property
    def branches(self) -> tuple[Branch, ...]:
        """Every `if` block, outer before inner, in source order."""
        return tuple(block for block in _walk_blocks(self.body) if isinstance(block, Branch))


def _walk_blocks(blocks: tuple[Block, ...]):
    for block in blocks:
        yield block
        if isinstance(block, Branch):
            yield from _walk_blocks(block.body)
            yield from _walk_blocks(block.orelse)
        elif isinstance(block, Repeat):
            yield from _walk_blocks(block.body)


@dataclass(frozen=True, kw_only=True)
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
    context: tuple[tuple[str, int], ...] = ()  # the enclosing loops' variables and their values, outer first


@dataclass(frozen=True, kw_only=True)
class Decision:
    """One `if` the run reached: its line, the condition's value, and how many assignments ran before it."""

    line: int
    source: str
    taken: bool
    after_steps: int
    context: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, kw_only=True)
class ProgramTrace:
    """The statements run so far, in order; `env` holds every name's current tensor.

    `error` is the PyTorch failure that stopped the run at the next statement, if one did.
    """

    program: Program
    steps: tuple[StepResult, ...]
    env: Mapping[str, torch.Tensor] = field(repr=False, compare=False)
    error: ProgramError | None = None
    decisions: tuple[Decision, ...] = ()
    complete: bool = True  # False when the run was asked to stop after fewer assignments than the program runs

    @property
    def finished(self) -> bool:
        """Every assignment the program runs has run, without error."""
        return self.complete and self.error is None

    def prefix(self, count: int) -> ProgramTrace:
        """This (whole) run cut after `count` assignments: its steps and the decisions before them. From the run's
        last assignment on, the whole run itself (with the decisions after it and its error, what a page stepping
        to the end shows); `run_program(steps=count)` stops before those instead.

        The environment is kept only when nothing was cut (a cut run's names hold later values).
        """
        if count >= len(self.steps):
            return self
        decisions = tuple(d for d in self.decisions if d.after_steps < count)
        return replace(self, steps=self.steps[:count], env={}, error=None, decisions=decisions, complete=False)


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
        with PARSE_LOCK:  # see core.parse_lock: the UI process parses in every session's thread
            module = ast.parse(text, mode="exec")
    except SyntaxError as exc:
        raise ProgramError("syntax", exc.lineno or 0, exc.offset or 0, detail=exc.msg) from None
    except (ValueError, RecursionError, MemoryError):
        raise ProgramError("syntax", detail="unparsable") from None
    if not module.body:
        raise ProgramError("empty")
    _check_statement_count(module)
    _check_size(module)
    checker = _BlockChecker(text, set(inputs))
    defined = set(inputs)
    body = checker.blocks(module.body, defined, (), depth=0)
    executed = _executed_count(body)
    if executed > MAX_EXECUTED:
        raise ProgramError("too_many_executed", count=executed, limit=MAX_EXECUTED)
    last = checker.statements[-1]
    if last.target not in defined:  # the program is read for its last name: every run must assign it
        raise ProgramError("output_one_branch", last.line, name=last.target)
    inputs_read = tuple(dict.fromkeys(checker.used_inputs))
    return Program(text=text, statements=tuple(checker.statements), inputs=inputs_read, body=body)


def _check_statement_count(module: ast.Module) -> None:
    """Every statement counts, block headers and the statements inside blocks too."""
    count = 0
    for node in ast.walk(module):
        if isinstance(node, ast.stmt):
            count += 1
            if count > MAX_STATEMENTS:
                raise ProgramError("too_many_statements", node.lineno, limit=MAX_STATEMENTS)


def _executed_count(blocks: tuple[Block, ...]) -> int:
    """How many assignments a run executes at most: loops multiply their bodies, an if counts its longer side."""
    total = 0
    for block in blocks:
        if isinstance(block, Statement):
            total += 1
        elif isinstance(block, Branch):
            total += max(_executed_count(block.body), _executed_count(block.orelse))
        else:
            total += block.count * _executed_count(block.body)
    return total


class _BlockChecker:
    """Checks statements and blocks in order, tracking which names are surely assigned at each point."""

    def __init__(self, text: str, inputs: set[str]) -> None:
        self.text = text
        self.inputs = inputs
        self.statements: list[Statement] = []
        self.used_inputs: list[str] = []

    def blocks(self, nodes: list[ast.stmt], defined: set[str], loops: tuple[str, ...], depth: int) -> tuple:
        """Check `nodes`, adding to `defined` the names assigned on every path through them."""
        return tuple(self.block(node, defined, loops, depth) for node in nodes)

    def block(self, node: ast.stmt, defined: set[str], loops: tuple[str, ...], depth: int) -> Block:
        if isinstance(node, ast.If):
            return self.branch(node, defined, loops, depth)
        if isinstance(node, ast.For):
            return self.repeat(node, defined, loops, depth)
        target = _check_assignment(node)
        if target in loops:
            raise ProgramError("loop_variable_assigned", *_where(node.targets[0]), name=target)
        self.check(node.value, defined)
        defined.add(target)
        statement = Statement(
            target=target,
            expression=node.value,
            lowered=lower(node.value, frozenset(loops)),
            line=node.lineno,
            source=self.source(node),
        )
        self.statements.append(statement)
        return statement

    def branch(self, node: ast.If, defined: set[str], loops: tuple[str, ...], depth: int) -> Branch:
        self.check_depth(node, depth)
        self.check(node.test, defined)
        then_defined, else_defined = set(defined), set(defined)
        body = self.blocks(node.body, then_defined, loops, depth + 1)
        orelse = self.blocks(node.orelse, else_defined, loops, depth + 1)
        defined |= then_defined & else_defined  # a name assigned on one side only is not surely assigned after
        return Branch(
            condition=node.test,
            lowered=lower(node.test, frozenset(loops)),
            line=node.lineno,
            source=self.header(node, node.test, "if"),
            body=body,
            orelse=orelse,
        )

    def repeat(self, node: ast.For, defined: set[str], loops: tuple[str, ...], depth: int) -> Repeat:
        self.check_depth(node, depth)
        if node.orelse:
            raise ProgramError("forbidden", *_where(node), what="for-else")
        if not isinstance(node.target, ast.Name):
            raise ProgramError("bad_loop", *_where(node.target), limit=MAX_RANGE)
        variable = node.target.id
        _check_name_allowed(variable, node.target)
        if variable in defined or variable in loops:
            raise ProgramError("loop_variable_taken", *_where(node.target), name=variable)
        count = _range_count(node.iter)
        inner = set(defined) | {variable}
        body = self.blocks(node.body, inner, (*loops, variable), depth + 1)
        defined |= inner - {variable}  # range(k) has k >= 1: the body always runs
        header = self.header(node, node.iter, f"for {variable} in")
        return Repeat(variable=variable, count=count, line=node.lineno, source=header, body=body)

    def check(self, expression: ast.expr, defined: set[str]) -> None:
        """The expression against the allow-list; a name set on one side of an earlier `if` only is named as such."""
        try:
            _check_expression(expression, defined, self.used_inputs, self.inputs)
        except ProgramError as exc:
            if exc.code == "unknown_name" and exc.params["name"] in {s.target for s in self.statements}:
                raise ProgramError("one_branch_name", exc.line, exc.column, name=exc.params["name"]) from None
            raise

    def check_depth(self, node: ast.stmt, depth: int) -> None:
        if depth >= MAX_BLOCK_DEPTH:
            raise ProgramError("too_nested", *_where(node), limit=MAX_BLOCK_DEPTH)

    def source(self, node: ast.AST) -> str:
        return " ".join((ast.get_source_segment(self.text, node) or ast.unparse(node)).split())

    def header(self, node: ast.stmt, expression: ast.expr, keyword: str) -> str:
        return f"{keyword} {self.source(expression)}:"


def _range_count(node: ast.expr) -> int:
    """`range(k)` with k a whole-number literal from 1 to MAX_RANGE; anything else is refused at its place."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "range"
        and len(node.args) == 1
        and not node.keywords
    ):
        raise ProgramError("bad_loop", *_where(node), limit=MAX_RANGE)
    count = node.args[0]
    if not (isinstance(count, ast.Constant) and type(count.value) is int and 1 <= count.value <= MAX_RANGE):
        raise ProgramError("bad_range", *_where(count), limit=MAX_RANGE)
    return count.value


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


def evaluate(node: Expr | ast.expr, env: Mapping[str, object], line: int) -> object:
    """Evaluate a lowered expression (or a checked syntax tree, lowered here with the loop counters `env` holds)
    over `env` (tensors or fx Proxies); PyTorch errors become ProgramError.

    Running out of memory (Python's MemoryError, or the allocator refusing under the worker's memory limit)
    becomes ProgramError("memory") naming that limit: the line is what asked for it.
    """
    if isinstance(node, ast.AST):
        node = lower(node, frozenset(name for name, value in env.items() if _is_number(value)))
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


def _evaluate(node: Expr, env: Mapping[str, object]) -> object:
    """The interpreter: the one evaluator (core.program_core.evaluate) with Python's own, checked calls."""
    return closure(node, EAGER)(env)


def _bind(call: Call):
    """Python's own call on what `call` is written on. A receiver that is no tensor, or a result that is none
    (x.max(0) or torch.where(c) give tuples, which * would repeat and == compare with no tensor involved), is
    refused at the call, before any other node can use it."""
    line, column = call.at[0], call.at[1] + 1

    def bound(receiver):
        if call.receiver is None:
            function = getattr(torch, call.function)
        elif isinstance(receiver, torch.Tensor | fx.Proxy):
            function = getattr(receiver, call.function)
        else:
            raise ProgramError("method_needs_tensor", line, column, name=call.function)

        def checked(*args, **kwargs):
            result = function(*args, **kwargs)
            if not isinstance(result, torch.Tensor | fx.Proxy):
                raise ProgramError("call_result", line, column, name=call.function)
            return result

        return checked

    return bound


EAGER = Namespace(binary=operators.BINARY, unary=operators.UNARY, compare=operators.COMPARE, bind=_bind)


class FloatPowers:
    """Re-emitting code with powers of plain numbers in float, the core's rule (core.program_core.lower), for
    callers of this older name: `numbers` are the loop counters, `wrap(node)` makes a base a float."""

    def __init__(self, numbers: set[str], wrap) -> None:
        self.numbers = frozenset(numbers)
        self.wrap = wrap

    def visit(self, node: ast.expr) -> ast.expr:
        return python_expression(lower(node, self.numbers), self.wrap)


def loop_variables(blocks) -> tuple[str, ...]:
    """Every `for` counter in `blocks`, outer before inner."""
    names: list[str] = []
    for block in _walk_blocks(tuple(blocks)):
        if isinstance(block, Repeat):
            names.append(block.variable)
    return tuple(names)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Stop(Exception):
    """Raised inside a walk to stop it early (the requested number of assignments has run)."""


def decide(branch: Branch, env: Mapping[str, object]) -> bool:
    """The truth of an `if` condition as Python takes it (bool of a one-element tensor); PyTorch's refusal of a
    tensor with several values becomes ProgramError("runtime") at the `if` line."""
    value = evaluate(branch.lowered, env, branch.line)
    try:
        return bool(value)
    except RuntimeError as exc:
        raise ProgramError("runtime", branch.line, 0, detail=str(exc)) from None


def run_program(program: Program, inputs: Mapping[str, torch.Tensor], steps: int | None = None) -> ProgramTrace:
    """Run the program eagerly, recording each executed assignment (loops unrolled) and each `if` decision;
    with `steps`, stop after that many assignments.

    A statement PyTorch refuses ("runtime", with PyTorch's own message) or that yields no tensor
    ("not_a_tensor") stops the run; the trace keeps the steps before it and the error.

    Raises:
        ProgramError: "missing_input" for an input not supplied.
    """
    for name in program.inputs:
        if name not in inputs:
            raise ProgramError("missing_input", name=name)
    env: dict[str, object] = dict(inputs)
    results: list[StepResult] = []
    decisions: list[Decision] = []

    def on_statement(statement: Statement, env: dict[str, object], context) -> None:
        if steps is not None and len(results) >= steps:
            raise _Stop
        value = evaluate(statement.lowered, env, statement.line)
        if not isinstance(value, torch.Tensor):
            raise ProgramError("not_a_tensor", statement.line, 0, name=statement.target)
        env[statement.target] = value
        results.append(_step_result(len(results), statement, value, context))

    def on_branch(branch: Branch, env: dict[str, object], context) -> bool:
        if steps is not None and len(results) >= steps:
            raise _Stop
        taken = decide(branch, env)
        decision = Decision(
            line=branch.line, source=branch.source, taken=taken, after_steps=len(results), context=context
        )
        decisions.append(decision)
        return taken

    error, complete = None, True
    try:
        walk(program.body, env, on_statement, on_branch)
    except ProgramError as exc:
        error = exc
    except _Stop:
        complete = False
    tensors = {name: value for name, value in env.items() if isinstance(value, torch.Tensor)}
    return ProgramTrace(
        program=program, steps=tuple(results), env=tensors, error=error, decisions=tuple(decisions), complete=complete
    )


def _step_result(index: int, statement: Statement, value: torch.Tensor, context=()) -> StepResult:
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
        context=tuple(context),
    )
